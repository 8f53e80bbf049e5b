package dev.dialtone.security.identity;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dialtone workload identity, carried as a URI SAN in its certificate:
 * {@code spiffe://<deployment>/region/<region>/agent/<name>} for region agents,
 * {@code spiffe://<deployment>/replica/<name>} for control-plane replicas and
 * {@code spiffe://<deployment>/operator/<name>} for people and pipelines.
 */
public record SpiffeId(String deployment, Kind kind, String region, String name) {

  /** What kind of workload holds the identity. */
  public enum Kind {
    AGENT,
    REPLICA,
    OPERATOR
  }

  private static final String SEGMENT = "[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?";
  private static final Pattern AGENT =
      Pattern.compile("spiffe://(" + SEGMENT + ")/region/(" + SEGMENT + ")/agent/(" + SEGMENT + ")");
  private static final Pattern OTHER =
      Pattern.compile("spiffe://(" + SEGMENT + ")/(replica|operator)/(" + SEGMENT + ")");

  public SpiffeId {
    if (kind == Kind.AGENT && region == null) {
      throw new IllegalArgumentException("an agent identity needs a region");
    }
  }

  /** Parses a URI SAN; empty if it is not a Dialtone SPIFFE id. */
  public static Optional<SpiffeId> parse(String uri) {
    Matcher agent = AGENT.matcher(uri);
    if (agent.matches()) {
      return Optional.of(new SpiffeId(agent.group(1), Kind.AGENT, agent.group(3), agent.group(5)));
    }
    Matcher other = OTHER.matcher(uri);
    if (other.matches()) {
      Kind kind = other.group(3).equals("replica") ? Kind.REPLICA : Kind.OPERATOR;
      return Optional.of(new SpiffeId(other.group(1), kind, null, other.group(4)));
    }
    return Optional.empty();
  }

  public static SpiffeId agent(String deployment, String region, String name) {
    return new SpiffeId(deployment, Kind.AGENT, region, name);
  }

  public static SpiffeId replica(String deployment, String name) {
    return new SpiffeId(deployment, Kind.REPLICA, null, name);
  }

  public static SpiffeId operator(String deployment, String name) {
    return new SpiffeId(deployment, Kind.OPERATOR, null, name);
  }

  public URI toUri() {
    return URI.create(toString());
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AGENT -> "spiffe://" + deployment + "/region/" + region + "/agent/" + name;
      case REPLICA -> "spiffe://" + deployment + "/replica/" + name;
      case OPERATOR -> "spiffe://" + deployment + "/operator/" + name;
    };
  }
}
