package dev.dialtone.chaos.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A game-day drill as read from its YAML file and validated by {@link DrillFileReader}. */
public record DrillDefinition(
    String name,
    String region,
    DrillTarget target,
    List<Fault> faults,
    Duration duration,
    DrillExpectations expectations,
    DrillGuardrails guardrails,
    DrillSchedule schedule) {

  public DrillDefinition {
    // Null elements survive so the validator can name them (List.copyOf would throw).
    faults = faults == null ? null : Collections.unmodifiableList(new ArrayList<>(faults));
    expectations = expectations == null ? DrillExpectations.DEFAULT : expectations;
  }

  /** The Toxiproxy proxy the lab puts in front of the target: {@code <region>-<dependency>}. */
  public String proxyName() {
    return region + "-" + target.dependency();
  }
}
