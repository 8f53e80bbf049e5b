package dev.dialtone.security.identity;

import dev.dialtone.security.authz.Principal;
import java.util.Optional;

/**
 * Whether a caller may speak for a region: an agent's certificate names the one deployment,
 * region and agent it reports as, so a compromised agent can neither claim that another region is
 * down nor pass for another agent of its region.
 */
public final class ReporterIdentity {
  private ReporterIdentity() {}

  /**
   * Why {@code principal} may not send a report for {@code deployment}/{@code region} as agent
   * {@code agentId}, or empty if it may. A principal without a certificate identity (the plaintext
   * dev profile) may not either, unless {@code allowUnverified}.
   */
  public static Optional<String> denial(Principal principal, String deployment, String region, String agentId,
      boolean allowUnverified) {
    if (principal == null || principal.spiffeId().isEmpty()) {
      return allowUnverified ? Optional.empty() : Optional.of("reports need an agent certificate identity");
    }
    SpiffeId id = principal.spiffeId().get();
    if (id.kind() != SpiffeId.Kind.AGENT) {
      return Optional.of(id + " is not a region agent");
    }
    if (!id.deployment().equals(deployment)) {
      return Optional.of(id + " may not report for deployment " + deployment);
    }
    if (!id.region().equals(region)) {
      return Optional.of(id + " may not report for region " + region);
    }
    if (!id.name().equals(agentId)) {
      return Optional.of(id + " may not report as agent_id " + agentId + " (its certificate is of agent " + id.name() + ")");
    }
    return Optional.empty();
  }
}
