package dev.dialtone.chaos.fault;

/** Whether a drill run still has a live owner; toxics of a run that is not live are orphans. */
@FunctionalInterface
public interface LiveRuns {
  boolean isLive(String runId) throws FaultException;
}
