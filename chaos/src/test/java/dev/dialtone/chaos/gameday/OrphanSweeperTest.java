package dev.dialtone.chaos.gameday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.chaos.fault.FaultException;
import dev.dialtone.chaos.fault.ToxicRecord;
import dev.dialtone.chaos.schedule.LeadershipGate;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OrphanSweeperTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-02T10:00:00Z"));
  private final AtomicBoolean leader = new AtomicBoolean(true);
  private final List<Instant> sweeps = new ArrayList<>();
  private final LeadershipGate gate =
      new LeadershipGate() {
        @Override
        public boolean isLeader() {
          return leader.get();
        }

        @Override
        public long epoch() {
          return 2;
        }
      };

  @Test
  void sweepsEveryIntervalOnlyWhileLeading() {
    OrphanSweeper sweeper =
        new OrphanSweeper(gate, () -> { sweeps.add(clock.instant()); return List.of(); }, Duration.ofSeconds(10), clock.executor());
    sweeper.start();

    clock.advance(Duration.ofSeconds(20));
    leader.set(false);
    clock.advance(Duration.ofSeconds(30));

    assertThat(sweeps).hasSize(3);
    sweeper.close();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aFailingSweepIsRetriedAtTheNextInterval() {
    List<Boolean> failures = new ArrayList<>(List.of(true));
    ToxicRecord orphan = new ToxicRecord("run-1-0", "us-east-llm", "dialtone-run-1-0", "timeout", "run-1", 1, clock.instant());
    OrphanSweeper sweeper =
        new OrphanSweeper(
            gate,
            () -> {
              if (!failures.isEmpty() && failures.remove(0)) {
                throw new FaultException(FaultException.Failure.TRANSIENT, "zookeeper connection loss", null);
              }
              return List.of(orphan);
            },
            Duration.ofSeconds(10),
            clock.executor());

    assertThat(sweeper.sweepNow()).isEmpty();
    assertThat(sweeper.sweepNow()).containsExactly(orphan);
  }

  @Test
  void refusesANonPositiveInterval() {
    assertThatThrownBy(() -> new OrphanSweeper(gate, List::of, Duration.ZERO, clock.executor()))
        .hasMessage("orphanSweep.interval must be positive, not PT0S");
  }
}
