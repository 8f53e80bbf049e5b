package dev.dialtone.dns.retry;

import dev.dialtone.actuation.Sleeper;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Sleeper} that advances a {@link FakeClock} instead of waiting, and records every wait. */
public final class RecordingSleeper implements Sleeper {
  private final FakeClock clock;
  private final List<Duration> sleeps = new ArrayList<>();

  public RecordingSleeper(FakeClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration) {
    synchronized (this) {
      sleeps.add(duration);
    }
    clock.advance(duration);
  }

  /** Every wait asked of this sleeper, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
