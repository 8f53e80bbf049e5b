package dev.dialtone.controlplane.statuspage;

import dev.dialtone.security.authz.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browsers signed in with a bearer token: a random id (the cookie) stands for the token's
 * principal until it expires, so the token itself is sent once and never stored in the browser.
 * Held in memory: a restarted replica asks again.
 */
final class SignIns {
  /** At most this many sign-ins are held; the oldest goes first. */
  static final int MAX = 10_000;

  private record SignIn(Principal principal, Instant expires) {}

  private final Map<String, SignIn> byId = new ConcurrentHashMap<>();
  private final Duration lifetime;
  private final Clock clock;
  private final SecureRandom random;

  SignIns(Duration lifetime, Clock clock, SecureRandom random) {
    this.lifetime = lifetime;
    this.clock = clock;
    this.random = random;
  }

  /** Opens a sign-in for {@code principal}; the returned id goes into the cookie. */
  String open(Principal principal) {
    Instant now = clock.instant();
    byId.values().removeIf(s -> !s.expires().isAfter(now));
    while (byId.size() >= MAX) {
      byId.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expires()))
          .ifPresent(oldest -> byId.remove(oldest.getKey()));
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    byId.put(id, new SignIn(principal, now.plus(lifetime)));
    return id;
  }

  /** Who the sign-in {@code id} stands for, while it lasts. */
  Optional<Principal> principal(String id) {
    if (id == null) {
      return Optional.empty();
    }
    SignIn s = byId.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!s.expires().isAfter(clock.instant())) {
      byId.remove(id);
      return Optional.empty();
    }
    return Optional.of(s.principal());
  }

  /** Ends the sign-in {@code id}, if any. */
  void close(String id) {
    if (id != null) {
      byId.remove(id);
    }
  }

  /** How long a sign-in lasts, for the cookie's Max-Age. */
  Duration lifetime() {
    return lifetime;
  }
}
