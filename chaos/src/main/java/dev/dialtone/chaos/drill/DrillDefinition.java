package dev.dialtone.chaos.drill;

import dev.dialtone.config.Durations;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.Rules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A game-day drill as read from its YAML file and validated by {@link DrillFileReader}. */
public record DrillDefinition(
    @NotNull @Pattern(regexp = DrillDefinition.NAME, message = DrillDefinition.NAME_RULE) String name,
    @NotNull @Pattern(regexp = DrillDefinition.NAME + "|standby:[1-9][0-9]?", message = DrillDefinition.REGION_RULE)
    String region,
    @NotNull @Valid DrillTarget target,
    @NotEmpty(message = "a drill needs at least one fault") List<@NotNull(message = "is empty (give it a type)") @Valid Fault> faults,
    @NotNull @PositiveDuration Duration duration,
    @Valid DrillExpectations expectations,
    @NotNull @Valid DrillGuardrails guardrails,
    @Valid DrillSchedule schedule,
    List<@NotNull(message = "is empty (give it after and faults)") @Valid DrillStep> then) implements Checked {

  /** A single-step drill. */
  public DrillDefinition(String name, String region, DrillTarget target, List<Fault> faults, Duration duration,
      DrillExpectations expectations, DrillGuardrails guardrails, DrillSchedule schedule) {
    this(name, region, target, faults, duration, expectations, guardrails, schedule, null);
  }

  /** Names end up in znode paths and Toxiproxy proxy names. */
  static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
  static final String NAME_RULE = "may only use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)";
  static final String REGION_RULE = "must be a region id, 'all', 'active' or 'standby:N' (N from 1); a region id "
      + NAME_RULE;

  /** The {@code region} that means whichever region is active when the drill starts. */
  public static final String ACTIVE = "active";
  /** The prefix of {@code standby:N}: the N-th standby of the placement when the drill starts. */
  public static final String STANDBY = "standby:";

  public DrillDefinition {
    // Null elements survive so validation can name them (List.copyOf would throw).
    faults = faults == null ? null : Collections.unmodifiableList(new ArrayList<>(faults));
    expectations = expectations == null ? DrillExpectations.DEFAULT : expectations;
    then = then == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(then));
  }

  @Override
  public void check(Rules rules) {
    rules.require(then.isEmpty() || !targetsEveryRegion(), "then", "an outage drill ('region: all') has no further steps");
    if (guardrails != null && guardrails.maxDuration() != null && duration != null
        && guardrails.maxDuration().compareTo(duration) < 0) {
      rules.fail("guardrails.maxDuration", "is shorter (" + Durations.format(guardrails.maxDuration()) + ") than duration ("
          + Durations.format(duration) + "): faults would be healed before the drill ends");
    }
  }

  /** The {@code region} that means every region of the deployment (an outage drill). */
  public static final String EVERY_REGION = "all";

  /** Whether the drill breaks the dependency in every region at once (outage mode is the point). */
  public boolean targetsEveryRegion() {
    return EVERY_REGION.equals(region);
  }

  /** Whether {@code region} names a role ({@code active}, {@code standby:N}) resolved when the drill starts. */
  public boolean targetsByRole() {
    return isRole(region) || (then != null && then.stream().anyMatch(st -> st != null && isRole(st.region())));
  }

  static boolean isRole(String r) {
    return ACTIVE.equals(r) || (r != null && r.startsWith(STANDBY));
  }

  /**
   * This drill on the region that holds its role in {@code routing} (the placement's order: the
   * active region, then the standbys); itself when it names a region or every region.
   *
   * @throws IllegalStateException if the placement has no such region (no placement, too few standbys)
   */
  public DrillDefinition resolvedAgainst(java.util.List<String> routing) {
    if (!targetsByRole()) {
      return this;
    }
    return new DrillDefinition(name, regionFor(region, routing), target, faults, duration, expectations, guardrails, schedule,
        then.stream().map(step -> step.withRegion(regionFor(step.region() == null ? region : step.region(), routing))).toList());
  }

  private String regionFor(String roleOrId, java.util.List<String> routing) {
    if (!ACTIVE.equals(roleOrId) && !roleOrId.startsWith(STANDBY)) {
      return roleOrId;
    }
    int index = ACTIVE.equals(roleOrId) ? 0 : Integer.parseInt(roleOrId.substring(STANDBY.length()));
    if (index >= routing.size()) {
      throw new IllegalStateException("drill " + name + " targets " + roleOrId + ", but the placement routes "
          + (routing.isEmpty() ? "nowhere (outage mode or no placement yet)" : String.join(" > ", routing) + " ("
          + (routing.size() - 1) + " standby)"));
    }
    return routing.get(index);
  }

  /** The Toxiproxy proxy a later step breaks: {@code <its region or the drill's>-<its dependency or the drill's>}. */
  public String proxyName(DrillStep step) {
    String r = step.region() == null ? region : step.region();
    if (ACTIVE.equals(r) || r.startsWith(STANDBY)) {
      throw new IllegalStateException("drill " + name + " step targets " + r + ": resolve it against the placement first");
    }
    return r + "-" + (step.target() == null ? target : step.target()).dependency();
  }

  /** The Toxiproxy proxy the lab puts in front of the target: {@code <region>-<dependency>}. */
  public String proxyName() {
    if (isRole(region)) {
      throw new IllegalStateException("drill " + name + " targets " + region + ": resolve it against the placement first");
    }
    if (targetsEveryRegion()) {
      throw new IllegalStateException("drill " + name + " targets every region: use proxyNames");
    }
    return region + "-" + target.dependency();
  }

  /** The proxies the drill breaks, given the deployment's regions. */
  public java.util.List<String> proxyNames(java.util.Collection<String> regions) {
    return targetsEveryRegion()
        ? regions.stream().sorted().map(r -> r + "-" + target.dependency()).toList()
        : java.util.List.of(proxyName());
  }
}
