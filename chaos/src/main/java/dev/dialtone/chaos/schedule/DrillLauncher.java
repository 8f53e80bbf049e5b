package dev.dialtone.chaos.schedule;

import dev.dialtone.chaos.drill.DrillDefinition;
import java.time.Instant;

/** Starts a claimed drill run (the control plane wires it to the drill runner); must not block. */
@FunctionalInterface
public interface DrillLauncher {
  void launch(DrillDefinition drill, Instant scheduledTime, long epoch);
}
