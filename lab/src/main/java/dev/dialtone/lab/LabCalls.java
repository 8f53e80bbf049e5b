package dev.dialtone.lab;

import dev.dialtone.peers.sipp.SippUac;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The lab's steady trickle of calls: SIPp places them through Kamailio, which sends each to the
 * active region's SIP edge. A call fails when it gets a final non-2xx answer or none within
 * {@link #ANSWER_TIMEOUT}. Bounded: it places at most {@code rate × maxRun} calls and stops.
 */
public final class LabCalls implements AutoCloseable {
  /** How long a caller waits for an answer before the call counts as failed (dead air). */
  public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  private final SippUac.Calls calls;
  private final Clock clock;

  private LabCalls(SippUac.Calls calls, Clock clock) {
    this.calls = calls;
    this.clock = clock;
  }

  /** Starts placing {@code perSecond} calls a second to Kamailio for at most {@code maxRun}. */
  static LabCalls start(Path dir, int kamailioPort, int perSecond, Duration maxRun, Clock clock) {
    int total = (int) Math.max(1, perSecond * maxRun.toSeconds());
    return new LabCalls(new SippUac(dir).calling("+15550100").start(kamailioPort, total, perSecond), clock);
  }

  /** How the lab's calls went so far. */
  public record Summary(long placed, long answered, int failed) {}

  /** Calls placed, answered and failed so far (a call still ringing is neither). */
  public Summary soFar() {
    SippUac.Result r = calls.soFar();
    return new Summary(r.placed(), r.answered(), failures().size());
  }

  /** When each failed call failed, in order. */
  public List<Instant> failures() {
    return calls.failedAt(clock.instant(), ANSWER_TIMEOUT);
  }

  /** Failures strictly after {@code after}; non-destructive, so several readers can share one trickle. */
  public List<Instant> failuresSince(Instant after) {
    return failures().stream().filter(t -> t.isAfter(after)).toList();
  }

  @Override
  public void close() {
    calls.close();
  }
}
