package dev.dialtone.chaos.drill;

import dev.dialtone.config.Durations;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Rules;
import jakarta.validation.Valid;
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
 * A control-plane step faults the leader running the drill instead ({@code leader: kill} or
 * {@code leader: stall} with {@code stall: 8s}); {@code after: in_flight} times it to the moment
 * the leader's next plan is about to touch an actuator (a failover in flight).
 *
 * @param after {@code shifted}, {@code in_flight} (control-plane steps), or how long after the
 *     previous step's injection
 * @param region a region id, {@code active} or {@code standby:N} (resolved when the drill starts);
 *     the drill's own region when absent
 * @param target the dependency; the drill's own target when absent
 * @param faults what to inject, as in the drill's {@code faults}
 */
public record DrillStep(
    @NotNull(message = "is required: shifted, or a duration such as 10s") String after,
    @Pattern(regexp = DrillDefinition.NAME + "|standby:[1-9][0-9]?", message = DrillDefinition.REGION_RULE) String region,
    @Valid DrillTarget target,
    List<@NotNull(message = "is empty (give it a type)") @Valid Fault> faults,
    @Pattern(regexp = "kill|stall", message = "must be kill (kill -9 of the leader's process) or stall (SIGSTOP, then SIGCONT)")
    String leader,
    Duration stall)
    implements Checked {
  /** The {@code after} that waits for carrier and DNS to have shifted. */
  public static final String SHIFTED = "shifted";
  /** The {@code after} of a control-plane step: when the leader's next plan is about to touch an actuator. */
  public static final String IN_FLIGHT = "in_flight";

  public DrillStep {
    faults = faults == null ? null : Collections.unmodifiableList(new ArrayList<>(faults));
  }

  /** A step of faults on a dependency. */
  public DrillStep(String after, String region, DrillTarget target, List<Fault> faults) {
    this(after, region, target, faults, null, null);
  }

  @Override
  public void check(Rules rules) {
    if (leader == null) {
      rules.require(faults != null && !faults.isEmpty(), "faults", "a step needs at least one fault (or leader: kill|stall)");
      rules.require(!IN_FLIGHT.equals(after), "after", "in_flight is for a control-plane step (leader: kill|stall)");
      rules.require(stall == null, "stall", "is only for leader: stall");
    } else {
      rules.require(faults == null || faults.isEmpty(), "faults", "a control-plane step (leader: " + leader
          + ") has no faults: put them in a step of their own");
      rules.require(region == null && target == null, "region", "a control-plane step faults the leader, not a region");
      if ("stall".equals(leader)) {
        rules.require(stall != null && !stall.isNegative() && !stall.isZero(), "stall",
            "is required for leader: stall (how long the leader stays stopped, e.g. 8s: longer than the ZooKeeper session)");
      } else {
        rules.require(stall == null, "stall", "is only for leader: stall");
      }
    }
    if (after != null && !SHIFTED.equals(after) && !IN_FLIGHT.equals(after)) {
      try {
        Duration d = Durations.parse(after);
        rules.require(!d.isNegative() && !d.isZero(), "after", "must be 'shifted' or a positive duration, not " + after);
      } catch (IllegalArgumentException e) {
        rules.fail("after", "'" + after + "' is neither 'shifted', 'in_flight' nor a duration (" + Durations.SYNTAX + ")");
      }
    }
    rules.require(!DrillDefinition.EVERY_REGION.equals(region), "region", "a step breaks one region ('all' is for the drill)");
  }

  /** How long after the previous injection this step comes, if it waits a fixed time (empty: until shifted or in flight). */
  public Optional<Duration> delay() {
    return SHIFTED.equals(after) || IN_FLIGHT.equals(after) ? Optional.empty() : Optional.of(Durations.parse(after));
  }

  /** The fault on the leader's own process, for a control-plane step. */
  public Optional<LeaderFault> leaderFault() {
    return leader == null ? Optional.empty()
        : Optional.of(new LeaderFault("stall".equals(leader) ? LeaderFault.Kind.STALL : LeaderFault.Kind.KILL,
            IN_FLIGHT.equals(after), stall));
  }

  /** This step with its region named outright (a control-plane step has none). */
  DrillStep withRegion(String resolved) {
    return leader != null ? this : new DrillStep(after, resolved, target, faults, leader, stall);
  }
}
