package dev.dialtone.controlplane.policy;

import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.controlplane.model.RegionSpec;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the placement policy decides from: an immutable snapshot of the world.
 *
 * @param health every known region's health at {@code now}
 * @param placement where traffic goes now
 * @param regions the registered regions by id
 * @param config the policy settings
 * @param freeze an operator's freeze, if one was set (it may have lapsed: see {@code until})
 * @param now the decision instant
 */
public record PolicyInput(
    HealthSnapshot health,
    Placement placement,
    Map<String, RegionSpec> regions,
    PolicyConfig config,
    Optional<FreezeSignal> freeze,
    Instant now) {
  public PolicyInput {
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(placement, "placement");
    regions = Map.copyOf(regions);
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(freeze, "freeze");
    Objects.requireNonNull(now, "now");
  }
}
