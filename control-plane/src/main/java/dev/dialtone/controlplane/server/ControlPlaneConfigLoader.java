package dev.dialtone.controlplane.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.chaos.drill.DrillCatalog;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillFileReader;
import dev.dialtone.chaos.drill.DrillValidationException;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@link ControlPlaneConfig} from YAML (unknown keys rejected) and validates it; the first
 * problem becomes one {@link ConfigException} naming the file and the field.
 */
public final class ControlPlaneConfigLoader {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private final ObjectMapper mapper;

  /** Secret references ({@code env:NAME}) are looked up in the process environment. */
  public ControlPlaneConfigLoader() {
    this(System.getenv());
  }

  /** {@code environment} is where {@code env:NAME} secret references are looked up. */
  public ControlPlaneConfigLoader(Map<String, String> environment) {
    mapper = JsonMapper.builder(new YAMLFactory())
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .addModule(new SimpleModule()
            .addDeserializer(Duration.class, new ShortDuration())
            .addDeserializer(Secret.class, new SecretReference(Map.copyOf(environment))))
        .build();
  }

  /** Reads and validates {@code file}; {@code chaos.drills} is relative to the file's directory. */
  public ControlPlaneConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "", "cannot read (" + e.getMessage() + ")");
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(file.toString(), text, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  /** Parses and validates {@code text}; {@code name} appears in errors; {@code chaos.drills} is relative to the working directory. */
  public ControlPlaneConfig parse(String name, String text) {
    return parse(name, text, Path.of("").toAbsolutePath());
  }

  /** Parses and validates {@code text}; {@code name} appears in errors; {@code chaos.drills} is relative to {@code base}. */
  public ControlPlaneConfig parse(String name, String text, Path base) {
    ControlPlaneConfig c;
    try {
      c = mapper.readValue(text, ControlPlaneConfig.class);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException(name, path(e), "unknown key (known keys: " + known + ")");
    } catch (JsonMappingException e) {
      throw new ConfigException(name, path(e), e.getOriginalMessage().lines().findFirst().orElse("invalid value"));
    } catch (JsonProcessingException e) {
      throw new ConfigException(name, "", "not valid YAML: " + e.getOriginalMessage());
    }
    if (c == null) {
      throw new ConfigException(name, "", "the file is empty");
    }
    validate(name, c);
    if (c.chaos() != null) {
      c = c.withChaos(c.chaos().resolvedAgainst(base));
      drills(name, c.chaos());
    }
    return c;
  }

  /**
   * Every drill of the configured directory, validated: a broken drill file is a configuration
   * error naming the drill file, the line and the field.
   */
  public static List<DrillDefinition> drills(String file, ControlPlaneConfig.Chaos chaos) {
    Path dir = Path.of(chaos.drills());
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(file, "chaos.drills", "no such directory: " + dir);
    }
    try {
      return new DrillCatalog(new DrillFileReader()).read(dir);
    } catch (DrillValidationException e) {
      throw new ConfigException(file, "chaos.drills", "drill files refused:\n" + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(file, "chaos.drills", "cannot read " + dir + " (" + e.getMessage() + ")");
    }
  }

  private static void validateChaos(String file, ControlPlaneConfig.Chaos ch) {
    require(file, "chaos.toxiproxy", ch.toxiproxy() != null && ch.toxiproxy().matches("https?://[^/\\s]+/?"),
        "must be the Toxiproxy API URL, e.g. http://127.0.0.1:8474");
    require(file, "chaos.drills", ch.drills() != null && !ch.drills().isBlank(),
        "must be set: the directory of drill YAML files, relative to this file");
    positive(file, "chaos.pollInterval", ch.pollInterval());
    require(file, "chaos.healAttempts", ch.healAttempts() >= 1, "must be >= 1 (was " + ch.healAttempts() + ")");
    positive(file, "chaos.schedulerTick", ch.schedulerTick());
    require(file, "chaos.onTimeGrace", ch.onTimeGrace().compareTo(ch.schedulerTick()) >= 0,
        "must be at least chaos.schedulerTick (was " + ch.onTimeGrace() + ")");
    positive(file, "chaos.orphanSweepInterval", ch.orphanSweepInterval());
    require(file, "chaos.reportsKept", ch.reportsKept() >= 1, "must be >= 1 (was " + ch.reportsKept() + ")");
  }

  private static void validate(String file, ControlPlaneConfig c) {
    require(file, "deployment", c.deployment() != null && c.deployment().matches("[a-z0-9][a-z0-9-]*"),
        "must be set: lower-case letters, digits and dashes");
    require(file, "replicaId", c.replicaId() != null && !c.replicaId().isBlank(), "must be set");
    require(file, "zookeeper.connect", c.zookeeper().connect() != null && !c.zookeeper().connect().isBlank(),
        "must be set, e.g. \"zk1:2181,zk2:2181,zk3:2181\"");
    positive(file, "zookeeper.sessionTimeout", c.zookeeper().sessionTimeout());
    positive(file, "zookeeper.connectionTimeout", c.zookeeper().connectionTimeout());
    port(file, "grpc.port", c.grpc().port());
    port(file, "http.port", c.http().port());
    positive(file, "grpc.keepAliveTime", c.grpc().keepAliveTime());
    positive(file, "grpc.keepAliveTimeout", c.grpc().keepAliveTimeout());
    positive(file, "grpc.permitKeepAliveTime", c.grpc().permitKeepAliveTime());
    require(file, "grpc.permitKeepAliveTime", c.grpc().permitKeepAliveTime().compareTo(c.grpc().keepAliveTime()) <= 0,
        "must not exceed grpc.keepAliveTime, or agents pinging as often as replicas do are disconnected");
    positive(file, "tick", c.tick());
    positive(file, "plans.attemptTimeout", c.plans().attemptTimeout());
    positive(file, "plans.stepBudget", c.plans().stepBudget());
    positive(file, "plans.initialBackoff", c.plans().initialBackoff());
    positive(file, "plans.maxBackoff", c.plans().maxBackoff());
    require(file, "plans.stepBudget", c.plans().stepBudget().compareTo(c.plans().attemptTimeout()) >= 0,
        "must be at least plans.attemptTimeout");
    require(file, "historyCap", c.historyCap() >= 10, "must be >= 10 (was " + c.historyCap() + ")");
    try {
      c.policy().toPolicyConfig();
    } catch (IllegalArgumentException | NullPointerException e) {
      String msg = String.valueOf(e.getMessage());
      throw new ConfigException(file, msg.split(" ")[0], msg.substring(msg.indexOf(' ') + 1));
    }
    if (c.chaos() != null) {
      validateChaos(file, c.chaos());
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < c.regions().size(); i++) {
      ControlPlaneConfig.Region r = c.regions().get(i);
      String at = "regions[" + i + "]";
      require(file, at + ".id", r.id() != null && r.id().matches("[a-z0-9][a-z0-9-]*"),
          "must be set: lower-case letters, digits and dashes");
      require(file, at + ".id", ids.add(r.id()), "region " + r.id() + " is listed twice");
      require(file, at + ".priority", r.priority() != null && r.priority() >= 0, "must be set, >= 0");
      require(file, at + ".edge", r.edge() != null, "must be set");
      try {
        edge(r);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file, at + ".edge", e.getMessage());
      }
    }
    security(file, c);
  }

  private static void security(String file, ControlPlaneConfig c) {
    ControlPlaneConfig.Security s = c.security();
    require(file, "security", s.tls() != null || s.plaintext(),
        "must set tls: { certificate, key, trustBundle } (or plaintext: true, for the dev/lab profile only)");
    require(file, "security.plaintext", s.tls() == null || !s.plaintext(), "set either security.tls or plaintext: true, not both");
    if (s.tls() != null) {
      ControlPlaneConfig.Tls t = s.tls();
      readable(file, "security.tls.certificate", t.certificate());
      readable(file, "security.tls.key", t.key());
      readable(file, "security.tls.trustBundle", t.trustBundle());
      positive(file, "security.tls.refresh", t.refresh());
      require(file, "security.tls.requireClientCertificate", !t.requireClientCertificate() || s.access().tokens().isEmpty(),
          "must be false when security.access.tokens are configured: token holders present no client certificate");
    }
    for (var e : s.access().certificates().entrySet()) {
      String at = "security.access.certificates[\"" + e.getKey() + "\"]";
      Optional<SpiffeId> id = SpiffeId.parse(e.getKey());
      require(file, at, id.isPresent(), "not a Dialtone SPIFFE id (spiffe://<deployment>/operator/<name> or /replica/<name>)");
      require(file, at, id.get().deployment().equals(c.deployment()), "belongs to deployment " + id.get().deployment()
          + ", not " + c.deployment());
      require(file, at, e.getValue() != null, "needs a role: viewer, operator or admin");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < s.access().tokens().size(); i++) {
      ControlPlaneConfig.Token t = s.access().tokens().get(i);
      String at = "security.access.tokens[" + i + "]";
      require(file, at + ".name", t.name() != null && !t.name().isBlank(), "must be set (the history records it)");
      require(file, at + ".name", names.add(t.name()), "token " + t.name() + " is listed twice");
      require(file, at + ".role", t.role() != null, "must be set: viewer, operator or admin");
      require(file, at + ".sha256", t.sha256() != null && t.sha256().matches("[0-9a-f]{64}"),
          "must be 64 lower-case hex digits: the SHA-256 of the token, never the token itself");
    }
    ControlPlaneConfig.ZooKeeperAuth zk = s.zookeeper();
    if (zk != null) {
      require(file, "security.zookeeper.user", zk.user() != null && !zk.user().isBlank() && !zk.user().contains(":"),
          "must be set, without ':'");
      require(file, "security.zookeeper.password", zk.password() != null, "must be set: file:/path or env:NAME");
      if (zk.tls() != null) {
        readable(file, "security.zookeeper.tls.keyStore", zk.tls().keyStore());
        readable(file, "security.zookeeper.tls.trustStore", zk.tls().trustStore());
      }
    }
  }

  /** The configured access rules in the authorization library's terms. */
  public static Credentials credentials(ControlPlaneConfig c) {
    return new Credentials(c.deployment(), c.security().access().certificates(),
        c.security().access().tokens().stream()
            .map(t -> new Credentials.TokenBinding(t.name(), t.role(), t.sha256())).toList());
  }

  private static void readable(String file, String field, String path) {
    require(file, field, path != null && !path.isBlank(), "must be set (a file path)");
    require(file, field, Files.isReadable(Path.of(path)), "cannot read " + path);
  }

  /** A configured region's edge in the actuation seam's terms. */
  public static RegionEdge edge(ControlPlaneConfig.Region r) {
    ControlPlaneConfig.Edge e = r.edge();
    return new RegionEdge(r.id(), e.a(), e.aaaa(), e.sip() == null ? null : URI.create(e.sip()), e.cname());
  }

  private static void require(String file, String field, boolean ok, String problem) {
    if (!ok) {
      throw new ConfigException(file, field, problem);
    }
  }

  private static void positive(String file, String field, Duration d) {
    require(file, field, !d.isNegative() && !d.isZero(), "must be positive (was " + d + ")");
  }

  private static void port(String file, String field, int port) {
    require(file, field, port >= 0 && port <= 65535, "must be 0..65535 (was " + port + ")");
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  /** A secret reference ({@code file:/path} or {@code env:NAME}) resolved at load; errors never hold the value. */
  static final class SecretReference extends StdScalarDeserializer<Secret> {
    private static final long serialVersionUID = 1L;
    private final Map<String, String> environment;

    SecretReference(Map<String, String> environment) {
      super(Secret.class);
      this.environment = environment;
    }

    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String field = String.valueOf(p.currentName());
      try {
        return Secret.resolve(p.getValueAsString(""), environment);
      } catch (IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        throw JsonMappingException.from(p, message.startsWith(field + " ") || message.startsWith(field + ":")
            ? message.substring(field.length()).replaceFirst("^:? ", "") : message);
      }
    }
  }

  /** {@code 500ms}, {@code 5s}, {@code 10m}, {@code 1h}, or ISO-8601. */
  static final class ShortDuration extends StdScalarDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    ShortDuration() {
      super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String t = p.getValueAsString("").strip();
      Matcher m = SHORT_DURATION.matcher(t);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
      try {
        return Duration.parse(t);
      } catch (RuntimeException e) {
        return (Duration) ctxt.handleWeirdStringValue(Duration.class, t, "not a duration (use 500ms, 5s, 10m, 1h)");
      }
    }
  }
}
