package dev.dialtone.chaos.schedule;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Claims in a shared set: the in-memory twin of {@link ZooKeeperDrillClaims} for unit tests. */
final class InMemoryDrillClaims implements DrillClaims {
  private final Set<String> claimed = ConcurrentHashMap.newKeySet();

  @Override
  public boolean claim(String drill, Instant scheduledTime, long epoch) {
    return claimed.add(drill + "/" + scheduledTime.toEpochMilli());
  }
}
