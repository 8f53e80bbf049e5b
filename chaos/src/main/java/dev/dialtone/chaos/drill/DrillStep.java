package dev.dialtone.chaos.drill;

import dev.dialtone.config.Durations;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Rules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A later step of a multi-step drill: more faults, on a region's dependency, injected once the
 * step before it is done, that is once traffic has shifted ({@code after: shifted}) or a while after
 * its injection ({@code after: 10s}). Every step's faults stay in until the drill heals them all.
 *
 * @param after {@code shifted}, or how long after the previous step's injection
 * @param region a region id, {@code active} or {@code standby:N} (resolved when the drill starts);
 *     the drill's own region when absent
 * @param target the dependency; the drill's own target when absent
 * @param faults what to inject, as in the drill's {@code faults}
 */
public record DrillStep(
    @NotNull(message = "is required: shifted, or a duration such as 10s") String after,
    @Pattern(regexp = DrillDefinition.NAME + "|standby:[1-9][0-9]?", message = DrillDefinition.REGION_RULE) String region,
    @Valid DrillTarget target,
    @NotEmpty(message = "a step needs at least one fault") List<@NotNull(message = "is empty (give it a type)") @Valid Fault> faults)
    implements Checked {
  /** The {@code after} that waits for carrier and DNS to have shifted. */
  public static final String SHIFTED = "shifted";

  public DrillStep {
    faults = faults == null ? null : Collections.unmodifiableList(new ArrayList<>(faults));
  }

  @Override
  public void check(Rules rules) {
    if (after != null && !SHIFTED.equals(after)) {
      try {
        Duration d = Durations.parse(after);
        rules.require(!d.isNegative() && !d.isZero(), "after", "must be 'shifted' or a positive duration, not " + after);
      } catch (IllegalArgumentException e) {
        rules.fail("after", "'" + after + "' is neither 'shifted' nor a duration (" + Durations.SYNTAX + ")");
      }
    }
    rules.require(!DrillDefinition.EVERY_REGION.equals(region), "region", "a step breaks one region ('all' is for the drill)");
  }

  /** How long after the previous injection this step comes, if it waits a fixed time (empty: until shifted). */
  public Optional<Duration> delay() {
    return SHIFTED.equals(after) ? Optional.empty() : Optional.of(Durations.parse(after));
  }

  /** This step with its region named outright. */
  DrillStep withRegion(String resolved) {
    return new DrillStep(after, resolved, target, faults);
  }
}
