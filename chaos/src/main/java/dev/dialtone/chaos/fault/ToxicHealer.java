package dev.dialtone.chaos.fault;

/** Removes one recorded fault from wherever its lever put it; what {@link OrphanToxicCleaner} calls. */
@FunctionalInterface
public interface ToxicHealer {
  /** Heals {@code record}'s fault; a fault already gone is fine. The record itself is the caller's. */
  void heal(ToxicRecord record) throws FaultException;
}
