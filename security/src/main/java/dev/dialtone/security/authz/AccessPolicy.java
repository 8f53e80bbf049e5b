package dev.dialtone.security.authz;

import dev.dialtone.security.identity.SpiffeId;
import java.util.Map;
import java.util.Optional;

/**
 * What each gRPC method requires of its caller. Methods not listed are denied: a new RPC is
 * closed until someone decides who may call it.
 */
public record AccessPolicy(Map<String, Requirement> methods) {

  public AccessPolicy {
    methods = Map.copyOf(methods);
  }

  /** A method's requirement. */
  public sealed interface Requirement {
    /** Why {@code principal} may not call, or empty if it may. */
    Optional<String> denial(Principal principal);
  }

  /** At least this role, from a bound certificate identity or a token. */
  public record AtLeast(Role role) implements Requirement {
    @Override
    public Optional<String> denial(Principal principal) {
      if (principal.role().isPresent() && principal.role().get().includes(role)) {
        return Optional.empty();
      }
      String has = principal.role().map(r -> "role " + r.name().toLowerCase()).orElse("no role");
      return Optional.of(principal.name() + " has " + has + ", needs " + role.name().toLowerCase());
    }
  }

  /** A region agent's certificate identity (which region it may report for is checked per report). */
  public record AgentIdentity() implements Requirement {
    @Override
    public Optional<String> denial(Principal principal) {
      boolean agent = principal.spiffeId().map(id -> id.kind() == SpiffeId.Kind.AGENT).orElse(false);
      return agent ? Optional.empty() : Optional.of(principal.name() + " is not a region agent identity");
    }
  }

  /** Any caller, verified or not: for reports in the plaintext profile, where no agent can prove its region. */
  public record Anyone() implements Requirement {
    @Override
    public Optional<String> denial(Principal principal) {
      return Optional.empty();
    }
  }

  /**
   * This policy with {@code AgentService/Report} open to unverified callers (the plaintext
   * profile: the report service then takes each report's region on trust, and says so).
   */
  public AccessPolicy withUnverifiedReports() {
    Map<String, Requirement> copy = new java.util.HashMap<>(methods);
    copy.put(REPORT, new Anyone());
    return new AccessPolicy(copy);
  }

  private static final String REPORT = "dialtone.v1.AgentService/Report";

  /** Dialtone's services as the security issue defines them. */
  public static AccessPolicy dialtoneDefaults() {
    String admin = "dialtone.v1.AdminService/";
    Requirement viewer = new AtLeast(Role.VIEWER);
    Requirement operator = new AtLeast(Role.OPERATOR);
    Requirement adminRole = new AtLeast(Role.ADMIN);
    return new AccessPolicy(
        Map.ofEntries(
            Map.entry(REPORT, new AgentIdentity()),
            Map.entry(admin + "GetStatus", viewer),
            Map.entry(admin + "ListHistory", viewer),
            Map.entry(admin + "ListDrills", viewer),
            Map.entry(admin + "GetDrillReport", viewer),
            Map.entry(admin + "Switchover", operator),
            Map.entry(admin + "Freeze", operator),
            Map.entry(admin + "Unfreeze", operator),
            Map.entry(admin + "SetMode", operator),
            Map.entry(admin + "RunDrill", operator),
            Map.entry(admin + "AbortDrill", operator),
            Map.entry(admin + "ApplyDrill", operator),
            Map.entry(admin + "DeleteDrill", operator),
            Map.entry(admin + "RegisterRegion", operator),
            Map.entry(admin + "DrainRegion", operator),
            Map.entry(admin + "CancelDrain", operator),
            Map.entry(admin + "Failover", adminRole),
            Map.entry(admin + "SetOutageMode", adminRole),
            Map.entry(admin + "DeregisterRegion", adminRole),
            // Health checking and reflection carry no secrets and change nothing.
            Map.entry("grpc.health.v1.Health/Check", viewer),
            Map.entry("grpc.health.v1.Health/Watch", viewer),
            Map.entry("grpc.health.v1.Health/List", viewer),
            Map.entry("grpc.reflection.v1.ServerReflection/ServerReflectionInfo", viewer)));
  }

  /** Why {@code principal} may not call {@code fullMethodName}, or empty if it may. */
  public Optional<String> denial(String fullMethodName, Principal principal) {
    Requirement requirement = methods.get(fullMethodName);
    if (requirement == null) {
      return Optional.of(fullMethodName + " is not open to anyone");
    }
    return requirement.denial(principal).map(why -> "may not call " + fullMethodName + ": " + why);
  }
}
