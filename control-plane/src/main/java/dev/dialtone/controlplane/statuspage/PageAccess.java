package dev.dialtone.controlplane.statuspage;

import dev.dialtone.security.authz.AccessControlInterceptor;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.authz.Principal;
import dev.dialtone.security.identity.PeerCertificates;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * Who is asking for the status page, and whether they may see it: the same identities and roles as
 * the admin API (a client certificate's SPIFFE id, else an {@code Authorization: Bearer} header,
 * through the replica's own access control), plus a browser's token sign-in. Seeing the page means
 * being allowed every admin read it shows.
 */
final class PageAccess {
  /** The admin reads the page is made of: a caller must be allowed each of them. */
  static final List<String> READS = List.of(
      "dialtone.v1.AdminService/GetStatus",
      "dialtone.v1.AdminService/ListHistory",
      "dialtone.v1.AdminService/ListDrills",
      "dialtone.v1.AdminService/GetDrillReport");

  /** The answer for one request: a principal allowed to see the page, or the HTTP status and reason to refuse it. */
  record Verdict(Optional<Principal> principal, int status, String refusal) {
    static Verdict allowed(Principal p) {
      return new Verdict(Optional.of(p), 200, "");
    }

    boolean allowed() {
      return principal.isPresent();
    }
  }

  private final AccessControlInterceptor access;
  private final SignIns signIns;

  PageAccess(AccessControlInterceptor access, SignIns signIns) {
    this.access = access;
    this.signIns = signIns;
  }

  /**
   * @param session the TLS session ({@code null} in the plaintext profile)
   * @param authorization the {@code Authorization} header, or {@code null}
   * @param signIn the sign-in cookie's value, or {@code null}
   */
  Verdict check(SSLSession session, String authorization, String signIn) {
    Optional<Principal> signedIn = signIns.principal(signIn);
    Credentials.Result who;
    if (authorization == null && signedIn.isPresent() && PeerCertificates.uriSans(session).isEmpty()) {
      who = new Credentials.Result(signedIn, "");
    } else {
      who = access.authenticate(session, authorization);
    }
    if (who.principal().isEmpty()) {
      return new Verdict(Optional.empty(), 401, who.refusal());
    }
    if (who.principal().get().name().equals(AccessControlInterceptor.ANONYMOUS)) {
      // The plaintext profile lets anonymous gRPC callers read; a browser must still prove who it is.
      return new Verdict(Optional.empty(), 401, "no client certificate, bearer token or sign-in");
    }
    return allowedToRead(who.principal().get());
  }

  /** Whether {@code principal} may see every part of the page (403 if not). */
  Verdict allowedToRead(Principal principal) {
    for (String read : READS) {
      Optional<String> denial = access.denial(read, principal);
      if (denial.isPresent()) {
        return new Verdict(Optional.empty(), 403, denial.get());
      }
    }
    return Verdict.allowed(principal);
  }

  /** Who {@code token} stands for, as a sign-in would take it over {@code session}. */
  Credentials.Result token(SSLSession session, String token) {
    return access.authenticate(session, "Bearer " + token);
  }

  SignIns signIns() {
    return signIns;
  }
}
