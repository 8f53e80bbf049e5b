package dev.dialtone.security.authz;

import dev.dialtone.security.identity.SpiffeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may call, from configuration: roles bound to certificate identities, and bearer tokens of
 * which only SHA-256 hashes are stored.
 *
 * @param deployment identities of any other deployment are refused
 * @param certificateRoles role per SPIFFE id (e.g. {@code spiffe://acme/operator/alice})
 * @param tokens bearer tokens by hash
 */
public record Credentials(String deployment, Map<String, Role> certificateRoles, List<TokenBinding> tokens) {

  public Credentials {
    certificateRoles = Map.copyOf(certificateRoles);
    tokens = List.copyOf(tokens);
  }

  /**
   * A bearer token's hash and what it grants.
   *
   * @param sha256 lower-case hex SHA-256 of the token's UTF-8 bytes
   */
  public record TokenBinding(String name, Role role, String sha256) {
    public TokenBinding {
      if (!sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("token " + name + ": sha256 must be 64 lower-case hex digits");
      }
    }
  }

  /** The principal a certificate identity stands for, or why it is refused. */
  public Result forCertificate(SpiffeId id) {
    if (!id.deployment().equals(deployment)) {
      return Result.refused(id + " belongs to deployment " + id.deployment() + ", not " + deployment);
    }
    return Result.ok(new Principal(id.toString(), Optional.of(id), Optional.ofNullable(certificateRoles.get(id.toString()))));
  }

  /** The principal a bearer token stands for, or why it is refused. */
  public Result forToken(String token) {
    byte[] hash = sha256(token);
    for (TokenBinding binding : tokens) {
      // Constant-time comparison: the hash of a guess must not leak how close it was.
      if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(binding.sha256()))) {
        return Result.ok(new Principal("token:" + binding.name(), Optional.empty(), Optional.of(binding.role())));
      }
    }
    return Result.refused("unknown bearer token");
  }

  /** The hash to store in configuration for {@code token}. */
  public static String hash(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** A principal, or the reason there is none. */
  public record Result(Optional<Principal> principal, String refusal) {
    static Result ok(Principal principal) {
      return new Result(Optional.of(principal), "");
    }

    static Result refused(String why) {
      return new Result(Optional.empty(), why);
    }
  }
}
