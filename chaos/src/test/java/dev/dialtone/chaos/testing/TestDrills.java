package dev.dialtone.chaos.testing;

import dev.dialtone.chaos.drill.DependencyKind;
import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillExpectations;
import dev.dialtone.chaos.drill.DrillGuardrails;
import dev.dialtone.chaos.drill.DrillSchedule;
import dev.dialtone.chaos.drill.DrillTarget;
import dev.dialtone.chaos.drill.Fault;
import java.time.Duration;
import java.util.List;

/** Drill definitions for tests, built in code (the file format has its own tests). */
public final class TestDrills {
  private TestDrills() {}

  /** LLM blackhole in us-east for 30 s, shift within 10 s, fail back within 60 s, max 3 min. */
  public static DrillDefinition llmTimeout() {
    return new DrillDefinition(
        "llm-timeout",
        "us-east",
        new DrillTarget(DependencyKind.LLM, "llm"),
        List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)),
        Duration.ofSeconds(30),
        new DrillExpectations(Duration.ofSeconds(10), Duration.ofSeconds(60), true, true),
        new DrillGuardrails(true, true, true, true, true, Duration.ofMinutes(3)),
        null);
  }

  public static DrillDefinition withExpectations(DrillDefinition drill, DrillExpectations expectations) {
    return new DrillDefinition(
        drill.name(), drill.region(), drill.target(), drill.faults(), drill.duration(), expectations, drill.guardrails(), drill.schedule());
  }

  public static DrillDefinition withGuardrails(DrillDefinition drill, DrillGuardrails guardrails) {
    return new DrillDefinition(
        drill.name(), drill.region(), drill.target(), drill.faults(), drill.duration(), drill.expectations(), guardrails, drill.schedule());
  }

  public static DrillDefinition scheduled(String name, DrillSchedule schedule) {
    DrillDefinition drill = llmTimeout();
    return new DrillDefinition(
        name, drill.region(), drill.target(), drill.faults(), drill.duration(), drill.expectations(), drill.guardrails(), schedule);
  }
}
