package dev.dialtone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.HostPort;
import dev.dialtone.config.constraint.Ipv4;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.Rules;
import dev.dialtone.config.constraint.SipUri;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  record Edge(List<@Ipv4 String> a, @SipUri String sip) {}

  record Region(@NotNull String id, @NotNull Integer priority, @Valid @NotNull Edge edge) {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
  @JsonSubTypes({@JsonSubTypes.Type(value = Kind.Alpha.class, name = "alpha"), @JsonSubTypes.Type(value = Kind.Beta.class, name = "beta")})
  sealed interface Kind {
    record Alpha(@HostPort String server) implements Kind {}

    record Beta(Integer n) implements Kind {}
  }

  record Sample(
      @NotNull String deployment, @PositiveDuration Duration tick, Integer port, Integer otherPort,
      @NotEmpty List<@Valid Region> regions, @Valid Kind kind, Secret key) implements Checked {
    @Override
    public void check(Rules rules) {
      rules.require(port == null || !port.equals(otherPort), "otherPort", "must differ from port (" + port + ")");
    }
  }

  private final ConfigLoader<Sample> loader = ConfigLoader.of(Sample.class, Map.of("KEY", "s3cr3t"));

  private List<String> problems(String yaml) {
    try {
      loader.parse("f.yaml", yaml);
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    return List.of();
  }

  @Test
  void bindsAValidFile() {
    Sample s = loader.parse("f.yaml", """
        deployment: d
        tick: 500ms
        regions:
          - { id: a, priority: 1, edge: { a: [203.0.113.1], sip: "sip:edge.example.com:5060" } }
        kind: { alpha: { server: "zk1:2181" } }
        key: env:KEY
        """);
    assertThat(s.tick()).isEqualTo(Duration.ofMillis(500));
    assertThat(s.key().reveal()).isEqualTo("s3cr3t");
    assertThat(s.kind()).isEqualTo(new Kind.Alpha("zk1:2181"));
  }

  @Test
  void namesLineAndFieldOfEveryViolation() {
    assertThat(problems("""
        deployment: d
        regions:
          - id: a
            priority: 1
            edge:
              a: [203.0.113.1, 999.1.1.1]
              sip: http://x
        port: 1
        otherPort: 1
        """)).containsExactly(
            "f.yaml:6: regions[0].edge.a[1]: '999.1.1.1' is refused: must be an IPv4 address (four numbers 0-255, e.g. 203.0.113.10)",
            "f.yaml:7: regions[0].edge.sip: 'http://x' is refused: must be a sip: or sips: URI with a host (e.g. sip:edge.example.com:5060)",
            "f.yaml:9: otherPort: must differ from port (1)");
  }

  @Test
  void refusesUnknownKeysWithAHint() {
    assertThat(problems("deployment: d\nregoins: []\n"))
        .singleElement().asString().startsWith("f.yaml:2: regoins: unknown key 'regoins' (did you mean 'regions'?)");
  }

  @Test
  void refusesDuplicateKeysAndSecondDocuments() {
    assertThat(problems("deployment: d\ndeployment: e\n")).singleElement().asString().contains("f.yaml:2").contains("duplicate key");
    assertThat(problems("deployment: d\n---\ndeployment: e\n")).singleElement().asString().contains("second YAML document");
  }

  @Test
  void explainsTypesInOperatorWords() {
    assertThat(problems("deployment: d\nport: abc\n")).singleElement().asString()
        .isEqualTo("f.yaml:2: port: must be a whole number (was 'abc')");
    assertThat(problems("deployment: d\ntick: 30\n")).singleElement().asString()
        .startsWith("f.yaml:2: tick: '30' has no unit");
    assertThat(problems("deployment: d\nkind: { gamma: {} }\n")).singleElement().asString()
        .isEqualTo("f.yaml:2: kind: unknown kind 'gamma' (known: alpha, beta)");
  }

  @Test
  void neverPrintsALiteralSecret() {
    assertThat(problems("deployment: d\nregions: [{id: a, priority: 1, edge: {}}]\nkey: sk-live-123\n"))
        .singleElement().asString().contains("key: must be file:").doesNotContain("sk-live-123");
  }

  @Test
  void aYamlErrorNeverQuotesTheLineItIsOn() {
    // SnakeYAML quotes the offending line under its message; an unclosed quote around a pasted key is one.
    assertThat(problems("deployment: d\nkey: \"sk-live-456\n"))
        .singleElement().asString().startsWith("f.yaml:2: not valid YAML: while scanning a quoted scalar, found unexpected end of stream")
        .contains("(at line 2, column 6; the line is not quoted: it may hold a secret)").doesNotContain("sk-live-456");
    assertThat(problems("deployment: d\nkind: { alpha: { server: 'sk-live-789 } }\n"))
        .singleElement().asString().startsWith("f.yaml:2: kind").contains("while scanning a quoted scalar")
        .doesNotContain("sk-live-789");
    assertThat(problems("deployment: d\nkey: @sk-live-abc\n"))
        .singleElement().asString().contains("found character '@' that cannot start any token").doesNotContain("sk-live-abc");
  }

  @Test
  void aRefusedUrlIsQuotedWithoutItsPassword() {
    assertThat(problems("deployment: d\nregions: [{id: a, priority: 1, edge: {}}]\nkind: { alpha: { server: \"http://ops:hunter2@db\" } }\n"))
        .singleElement().asString().contains("'http://***@db' is refused").doesNotContain("hunter2");
  }

  @Test
  void readsSecretsFromFiles(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("k"), "abc\n");
    assertThat(loader.parse("f.yaml", "deployment: d\nregions: [{id: a, priority: 1, edge: {}}]\nkey: file:" + f + "\n")
        .key().reveal()).isEqualTo("abc");
  }

  @Test
  void emptyFileIsAProblem() {
    assertThatThrownBy(() -> loader.parse("f.yaml", "# nothing\n")).hasMessage("f.yaml:1: the file is empty");
  }
}
