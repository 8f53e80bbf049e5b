package dev.dialtone.controlplane.gameday;

import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.Versioned;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import java.time.Instant;
import java.util.function.Function;

/** Reads a {@link WorldFrame}: the seam between the drill world's logic and ZooKeeper. */
@FunctionalInterface
public interface WorldFrames {
  WorldFrame read(Instant now) throws StateException;

  /** Frames from this replica's health view and its state store. */
  static WorldFrames of(Function<Instant, HealthSnapshot> health, ZooKeeperStateStore store) {
    return now -> new WorldFrame(now, health.apply(now), store.regions(), store.placement().map(Versioned::value),
        store.plan(), store.freeze());
  }
}
