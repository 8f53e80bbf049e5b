package dev.dialtone.security.authz;

import dev.dialtone.security.identity.PeerCertificates;
import dev.dialtone.security.identity.SpiffeId;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes who is calling (client certificate's SPIFFE id, else a bearer token) and refuses the
 * call unless the {@link AccessPolicy} lets that principal call the method. The principal is put in
 * the gRPC {@link Context} for the service to record in the history. In the plaintext profile
 * ({@link #plaintext}) bearer tokens come in the clear and callers without one are {@code anonymous}
 * with a fixed role.
 */
public final class AccessControlInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AccessControlInterceptor.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Who a plaintext caller without a token is, in the history too. */
  public static final String ANONYMOUS = "anonymous";

  private final Credentials credentials;
  private final AccessPolicy policy;
  private final Consumer<String> onRefusal;
  private final Optional<Role> plaintextAnonymous;

  /**
   * @param onRefusal told the refused method of every refusal, e.g. to count it in metrics
   */
  public AccessControlInterceptor(Credentials credentials, AccessPolicy policy, Consumer<String> onRefusal) {
    this(credentials, policy, onRefusal, Optional.empty());
  }

  private AccessControlInterceptor(Credentials credentials, AccessPolicy policy, Consumer<String> onRefusal,
      Optional<Role> plaintextAnonymous) {
    this.credentials = credentials;
    this.policy = policy;
    this.onRefusal = onRefusal;
    this.plaintextAnonymous = plaintextAnonymous;
  }

  /**
   * Access control without TLS (the dev/lab profile): a bearer token is taken in the clear, since
   * there is no other way to prove anything; a caller without one is {@code anonymous} with role
   * {@code anonymous}, so a replica with tokens configured can keep mutations for their holders.
   */
  public static AccessControlInterceptor plaintext(Credentials credentials, AccessPolicy policy, Role anonymous,
      Consumer<String> onRefusal) {
    return new AccessControlInterceptor(credentials, policy, onRefusal, Optional.of(anonymous));
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Credentials.Result who = authenticate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION), headers.get(AUTHORIZATION));
    if (who.principal().isEmpty()) {
      return refuse(call, Status.UNAUTHENTICATED, method, who.refusal());
    }
    Principal principal = who.principal().get();
    Optional<String> denial = policy.denial(method, principal);
    if (denial.isPresent()) {
      return refuse(call, Status.PERMISSION_DENIED, method, denial.get());
    }
    Context context = Context.current().withValue(Principal.CONTEXT_KEY, principal);
    return Contexts.interceptCall(context, call, headers, next);
  }

  /**
   * Who presents {@code session}'s client certificate, else the bearer token of {@code authorization}
   * (an {@code Authorization} header's value, {@code null} if none), exactly as for a gRPC call: the
   * status page over HTTPS asks here so people get the same identities and roles as the CLI.
   */
  public Credentials.Result authenticate(SSLSession session, String authorization) {
    List<String> uris = PeerCertificates.uriSans(session);
    for (String uri : uris) {
      Optional<SpiffeId> id = SpiffeId.parse(uri);
      if (id.isPresent()) {
        return credentials.forCertificate(id.get());
      }
    }
    boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    if (session == null && plaintextAnonymous.isPresent()) {
      return bearer ? credentials.forToken(authorization.substring(7).trim())
          : Credentials.Result.ok(new Principal(ANONYMOUS, Optional.empty(), plaintextAnonymous));
    }
    if (bearer) {
      if (session == null) {
        // A token sent in clear text is as good as published.
        return new Credentials.Result(Optional.empty(), "bearer tokens are accepted only over TLS");
      }
      return credentials.forToken(authorization.substring(7).trim());
    }
    if (session == null) {
      return new Credentials.Result(Optional.empty(), "no TLS session: plaintext callers have no identity");
    }
    return new Credentials.Result(Optional.empty(),
        uris.isEmpty() ? "no client certificate and no bearer token" : "client certificate has no Dialtone SPIFFE id: " + uris);
  }

  /** Why {@code principal} may not call {@code fullMethodName} under this interceptor's policy, or empty if it may. */
  public Optional<String> denial(String fullMethodName, Principal principal) {
    return policy.denial(fullMethodName, principal);
  }

  private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status, String method, String why) {
    log.warn("refused {}: {} {}", method, status.getCode(), why);
    onRefusal.accept(method);
    call.close(status.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
