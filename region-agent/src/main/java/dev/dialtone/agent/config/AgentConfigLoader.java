package dev.dialtone.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dialtone.agent.probe.llm.LlmProbe;
import dev.dialtone.agent.probe.sip.SipUri;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@link AgentConfig} from YAML and validates it: unknown keys, bad URIs, a timeout not
 * shorter than its interval, missing secrets. The first problem becomes one {@link
 * ConfigException} naming the file and the field, and the agent does not start.
 */
public final class AgentConfigLoader {
  private final Map<String, String> environment;
  private final ObjectMapper mapper;

  /** {@code environment} is where {@code env:} secrets are looked up (System.getenv() in production). */
  public AgentConfigLoader(Map<String, String> environment) {
    this.environment = environment;
    this.mapper =
        JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationText()))
            .build();
  }

  /** Loads and validates {@code file}. */
  public AgentConfig load(Path file) {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(name, "", "cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    return parse(name, text);
  }

  /** Parses and validates YAML {@code text}; {@code name} is used in error messages. */
  public AgentConfig parse(String name, String text) {
    AgentConfig config;
    try {
      config = mapper.readValue(text, AgentConfig.class);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException(name, path(e), "unknown key (known keys: " + known + ")");
    } catch (JsonMappingException e) {
      throw new ConfigException(name, path(e), e.getOriginalMessage().lines().findFirst().orElse("invalid value"));
    } catch (JsonProcessingException e) {
      throw new ConfigException(name, "", "not valid YAML: " + e.getOriginalMessage());
    }
    if (config == null) {
      throw new ConfigException(name, "", "the file is empty");
    }
    new Check(name, environment).agent(config);
    return config;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** The validation rules, each failing with the field's path. */
  private record Check(String file, Map<String, String> environment) {

    void agent(AgentConfig c) {
      required("deployment", c.deployment());
      required("region", c.region());
      positive("reportInterval", c.reportInterval());
      positive("readyWindow", c.readyWindow());
      int port = c.http().port();
      if (port < 0 || port > 65535) {
        fail("http.port", "must be between 0 and 65535, was " + port);
      }
      if (c.controlPlane() == null || c.controlPlane().replicas().isEmpty()) {
        fail("controlPlane.replicas", "at least one control-plane replica (host:port) is required");
      }
      AgentConfig.ControlPlane cp = c.controlPlane();
      for (int i = 0; i < cp.replicas().size(); i++) {
        hostPort("controlPlane.replicas[" + i + "]", cp.replicas().get(i));
      }
      positive("controlPlane.keepAliveTime", cp.keepAliveTime());
      positive("controlPlane.keepAliveTimeout", cp.keepAliveTimeout());
      positive("controlPlane.reconnectInitial", cp.reconnectInitial());
      if (cp.reconnectMax().compareTo(cp.reconnectInitial()) < 0) {
        fail("controlPlane.reconnectMax", "must not be shorter than reconnectInitial (" + cp.reconnectInitial() + ")");
      }
      if (cp.tls() == null && !cp.plaintext()) {
        fail("controlPlane", "set tls: { certificate, key, trustBundle } (or plaintext: true, for the dev/lab profile only)");
      }
      if (cp.tls() != null && cp.plaintext()) {
        fail("controlPlane.plaintext", "set either controlPlane.tls or plaintext: true, not both");
      }
      if (cp.tls() != null) {
        readable("controlPlane.tls.certificate", cp.tls().certificate());
        readable("controlPlane.tls.key", cp.tls().key());
        readable("controlPlane.tls.trustBundle", cp.tls().trustBundle());
        positive("controlPlane.tls.refresh", cp.tls().refresh());
      }
      if (c.probes().isEmpty()) {
        fail("probes", "at least one probe is required");
      }
      Set<String> names = new HashSet<>();
      for (int i = 0; i < c.probes().size(); i++) {
        probe("probes[" + i + "]", c.probes().get(i), names);
      }
      for (int i = 0; i < c.vantage().size(); i++) {
        vantage("vantage[" + i + "]", c.vantage().get(i));
      }
    }

    void probe(String at, AgentConfig.ProbeConfig p, Set<String> names) {
      required(at + ".name", p.name());
      if (!names.add(p.name())) {
        fail(at + ".name", "duplicate probe name '" + p.name() + "'");
      }
      schedule(at, p.interval(), p.timeout(), p.failAfter(), p.recoverAfter());
      positive(at + ".degradedAbove", p.degradedAbove());
      if (p.degradedAbove().compareTo(p.timeout()) >= 0) {
        fail(at + ".degradedAbove", "must be shorter than timeout (" + p.timeout() + "), was " + p.degradedAbove());
      }
      long kinds = java.util.stream.Stream.of(p.llm(), p.postgres(), p.redis(), p.sip()).filter(java.util.Objects::nonNull).count();
      if (kinds != 1) {
        fail(at, "set exactly one of llm, postgres, redis, sip (found " + kinds + ")");
      }
      if (p.llm() != null) {
        llm(at + ".llm", p.llm());
      } else if (p.postgres() != null) {
        postgres(at + ".postgres", p.postgres());
      } else if (p.redis() != null) {
        redis(at + ".redis", p.redis());
      } else {
        sip(at + ".sip.uri", p.sip().uri());
      }
    }

    void llm(String at, AgentConfig.Llm l) {
      URI uri = uri(at + ".baseUrl", l.baseUrl());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        fail(at + ".baseUrl", "must be an http or https URL, was '" + l.baseUrl() + "'");
      }
      if (l.mode() == LlmProbe.Mode.COMPLETION) {
        required(at + ".model", l.model());
      }
      if (l.apiKey() == null) {
        fail(at + ".apiKey", "an API key is required (apiKey: {file: ...} or {env: ...})");
      }
      secret(at + ".apiKey", l.apiKey());
    }

    void postgres(String at, AgentConfig.Postgres p) {
      required(at + ".jdbcUrl", p.jdbcUrl());
      if (!p.jdbcUrl().startsWith("jdbc:postgresql://")) {
        fail(at + ".jdbcUrl", "must start with jdbc:postgresql://, was '" + p.jdbcUrl() + "'");
      }
      uri(at + ".jdbcUrl", p.jdbcUrl().substring("jdbc:".length()));
      required(at + ".user", p.user());
      if (p.password() != null) {
        secret(at + ".password", p.password());
      }
      if (p.replicationLagAbove() != null) {
        positive(at + ".replicationLagAbove", p.replicationLagAbove());
      }
    }

    void redis(String at, AgentConfig.Redis r) {
      URI uri = uri(at + ".uri", r.uri());
      if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
        fail(at + ".uri", "must be a redis:// or rediss:// URI, was '" + r.uri() + "'");
      }
      if (uri.getUserInfo() != null) {
        fail(at + ".uri", "must not contain credentials; use password: {file: ...} or {env: ...}");
      }
      if (r.password() != null) {
        secret(at + ".password", r.password());
      }
      positive(at + ".probeKeyTtl", r.probeKeyTtl());
    }

    void vantage(String at, AgentConfig.Vantage v) {
      required(at + ".region", v.region());
      sip(at + ".uri", v.uri());
      schedule(at, v.interval(), v.timeout(), v.failAfter(), v.recoverAfter());
    }

    void schedule(String at, Duration interval, Duration timeout, int failAfter, int recoverAfter) {
      positive(at + ".interval", interval);
      positive(at + ".timeout", timeout);
      if (timeout.compareTo(interval) >= 0) {
        fail(at + ".timeout", "must be shorter than interval (" + interval + "), was " + timeout);
      }
      if (failAfter < 1) {
        fail(at + ".failAfter", "must be at least 1, was " + failAfter);
      }
      if (recoverAfter < 1) {
        fail(at + ".recoverAfter", "must be at least 1, was " + recoverAfter);
      }
    }

    void sip(String at, String uri) {
      required(at, uri);
      try {
        SipUri.parse(uri);
      } catch (IllegalArgumentException e) {
        fail(at, e.getMessage());
      }
    }

    void secret(String at, SecretRef ref) {
      try {
        ref.read(environment);
      } catch (IllegalArgumentException e) {
        fail(at, e.getMessage());
      }
    }

    URI uri(String at, String text) {
      required(at, text);
      try {
        URI uri = new URI(text);
        if (uri.getScheme() == null || uri.getHost() == null) {
          fail(at, "not an absolute URI with a host: '" + text + "'");
        }
        return uri;
      } catch (URISyntaxException e) {
        fail(at, "not a valid URI: " + e.getMessage());
        throw new AssertionError(e);
      }
    }

    void hostPort(String at, String text) {
      required(at, text);
      URI uri;
      try {
        uri = new URI("dns://" + text);
      } catch (URISyntaxException e) {
        fail(at, "not host:port: '" + text + "'");
        return;
      }
      if (uri.getHost() == null || uri.getPort() < 1 || !uri.getPath().isEmpty()) {
        fail(at, "not host:port: '" + text + "'");
      }
    }

    void readable(String at, String path) {
      required(at, path);
      if (!Files.isReadable(Path.of(path))) {
        fail(at, "cannot read " + path);
      }
    }

    void required(String at, String value) {
      if (value == null || value.isBlank()) {
        fail(at, "is required");
      }
    }

    void positive(String at, Duration d) {
      if (d.isNegative() || d.isZero()) {
        fail(at, "must be positive, was " + d);
      }
    }

    void fail(String at, String problem) {
      throw new ConfigException(file, at, problem);
    }
  }

}
