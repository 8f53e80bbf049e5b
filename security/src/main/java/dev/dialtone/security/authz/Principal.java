package dev.dialtone.security.authz;

import dev.dialtone.security.identity.SpiffeId;
import io.grpc.Context;
import java.util.Optional;

/**
 * Who is calling, as established by the transport (a client certificate's SPIFFE id) or a bearer
 * token, with the role configuration grants it. {@code name} is what the history records.
 */
public record Principal(String name, Optional<SpiffeId> spiffeId, Optional<Role> role) {

  /** The caller of the current gRPC call, set by {@link AuthenticationInterceptor}. */
  public static final Context.Key<Principal> CONTEXT_KEY = Context.key("dialtone-principal");

  /** The caller of the current call, or empty outside an authenticated call. */
  public static Optional<Principal> current() {
    return Optional.ofNullable(CONTEXT_KEY.get());
  }

  /** Used in the dev/lab profile without TLS, so the history still says who (nobody verified). */
  public static Principal unauthenticated(String name) {
    return new Principal(name, Optional.empty(), Optional.empty());
  }
}
