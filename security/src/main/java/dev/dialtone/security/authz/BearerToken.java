package dev.dialtone.security.authz;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** A bearer token as gRPC call credentials, sent as {@code authorization: Bearer <token>}; never printed. */
public final class BearerToken {
  private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private BearerToken() {}

  /** Call credentials carrying {@code token}; their {@code toString()} is redacted. */
  public static CallCredentials callCredentials(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        applier.apply(headers);
      }

      @Override
      public String toString() {
        return "bearer token (redacted)";
      }
    };
  }
}
