package dev.dialtone.chaos.run;

import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.fault.FaultException;
import dev.dialtone.chaos.fault.FaultSwitch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link FaultSwitch} that records what it was asked, when, and can fail its heals. */
final class RecordingSwitch implements FaultSwitch {
  private final Clock clock;
  final List<String> calls = new ArrayList<>();
  Instant healedAt;
  int healFailures;
  Runnable onInject = () -> {};

  RecordingSwitch(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void inject(String runId, long epoch, String proxy, List<Fault> faults) {
    onInject.run();
    calls.add("inject " + runId + " " + proxy + " " + faults.size() + " epoch " + epoch);
  }

  @Override
  public void adopt(String runId) {
    calls.add("adopt " + runId);
  }

  @Override
  public void heal(String runId) throws FaultException {
    if (healFailures > 0) {
      healFailures--;
      calls.add("heal failed " + runId);
      throw new FaultException(FaultException.Failure.TRANSIENT, "toxiproxy unreachable", null);
    }
    calls.add("heal " + runId);
    healedAt = clock.instant();
  }
}
