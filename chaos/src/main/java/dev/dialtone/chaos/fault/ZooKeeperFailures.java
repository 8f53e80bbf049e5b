package dev.dialtone.chaos.fault;

import org.apache.zookeeper.KeeperException;

/** Classifies ZooKeeper errors where they arise (STYLE.md #9). */
final class ZooKeeperFailures {
  private ZooKeeperFailures() {}

  static FaultException classify(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new FaultException(FaultException.Failure.TRANSIENT, what + ": interrupted", e);
    }
    boolean transientFailure =
        e instanceof KeeperException.ConnectionLossException
            || e instanceof KeeperException.SessionExpiredException
            || e instanceof KeeperException.OperationTimeoutException;
    return new FaultException(
        transientFailure ? FaultException.Failure.TRANSIENT : FaultException.Failure.PERMANENT,
        what + ": " + e,
        e);
  }
}
