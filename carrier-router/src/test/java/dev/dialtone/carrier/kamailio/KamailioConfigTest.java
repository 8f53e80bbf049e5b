package dev.dialtone.carrier.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Problem;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One {@code kamailio:} entry of the replica file's {@code carrier:} list: defaults, mapping, each rule. */
class KamailioConfigTest {
  private static final Map<String, String> ENV = Map.of("KAMAILIO_RPC_TOKEN", "t0ken", "KAMAILIO_DB_PASSWORD", "pw");
  private final ConfigLoader<KamailioConfig> loader = ConfigLoader.of(KamailioConfig.class, ENV);

  private static final String MINIMAL = """
      rpcUrl: "http://10.0.0.5:5071/RPC"
      rpcToken: "env:KAMAILIO_RPC_TOKEN"
      database: { jdbcUrl: "jdbc:postgresql://db.example.com:5432/kamailio", user: dialtone }
      """;

  private List<String> problems(String yaml) {
    try {
      loader.parse("cp.yaml", yaml);
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    return List.of();
  }

  @Test
  void defaults() {
    KamailioConfig config = loader.parse("cp.yaml", MINIMAL);

    assertThat(config.name()).isEqualTo("kamailio");
    assertThat(config.actuatorName()).isEqualTo("carrier/kamailio");
    assertThat(config.setId()).isEqualTo(1);
    assertThat(config.rpcTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.database().password()).isNull();
    assertThat(config.rpcToken().reveal()).isEqualTo("t0ken");
  }

  @Test
  void bindsEveryField() {
    KamailioConfig config = loader.parse("cp.yaml", """
        name: edge-east
        rpcUrl: "https://kamailio.example.com:5071/RPC"
        rpcToken: "env:KAMAILIO_RPC_TOKEN"
        database:
          jdbcUrl: "jdbc:postgresql://db.example.com:5432/kamailio"
          user: dialtone
          password: "env:KAMAILIO_DB_PASSWORD"
        setId: 3
        rpcTimeout: 500ms
        """);

    assertThat(config.actuatorName()).isEqualTo("carrier/edge-east");
    assertThat(config.rpcUri().getPort()).isEqualTo(5071);
    assertThat(config.database().password().reveal()).isEqualTo("pw");
    assertThat(config.setId()).isEqualTo(3);
    assertThat(config.rpcTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.toString()).doesNotContain("t0ken").doesNotContain("pw,").contains("redacted");
  }

  @Test
  void eachRuleNamesItsField() {
    assertThat(problems("name: Edge_1\n")).containsExactly(
        "cp.yaml:1: database: is required: the PostgreSQL database Kamailio loads its dispatcher and htable from",
        "cp.yaml:1: name: 'Edge_1' is refused: must be lower-case letters, digits and dashes, starting with a letter or digit",
        "cp.yaml:1: rpcToken: is required: the bearer token of Kamailio's DIALTONE_RPC_TOKEN, as file:/path or env:NAME",
        "cp.yaml:1: rpcUrl: is required: Kamailio's JSON-RPC URL, e.g. http://10.0.0.5:5071/RPC");
    assertThat(problems(MINIMAL.replace("http://10.0.0.5:5071/RPC", "ftp://10.0.0.5/RPC"))).containsExactly(
        "cp.yaml:1: rpcUrl: 'ftp://10.0.0.5/RPC' is refused: must be an http:// or https:// URL with a host");
    assertThat(problems(MINIMAL + "setId: 0\nrpcTimeout: 0s\n")).containsExactly(
        "cp.yaml:4: setId: must be at least 1",
        "cp.yaml:5: rpcTimeout: '0s' is refused: must be a positive duration (e.g. 500ms, 5s)");
  }

  @Test
  void theTokenIsASecretReferenceNeverALiteral() {
    assertThat(problems(MINIMAL.replace("env:KAMAILIO_RPC_TOKEN", "s3cr3t-literal"))).singleElement().asString()
        .startsWith("cp.yaml:2: rpcToken: must be file:/path/to/file or env:VARIABLE").doesNotContain("s3cr3t-literal");
    assertThat(problems(MINIMAL.replace("env:KAMAILIO_RPC_TOKEN", "env:NOT_SET"))).containsExactly(
        "cp.yaml:2: rpcToken: environment variable NOT_SET is not set");
  }

  @Test
  void theDatabaseIsPostgresWithoutCredentialsInTheUrl() {
    assertThat(problems(MINIMAL.replace("jdbc:postgresql://db.example.com:5432/kamailio", "jdbc:mysql://db/kamailio")))
        .containsExactly("cp.yaml:3: database.jdbcUrl: is refused: must start with jdbc:postgresql:// (e.g. jdbc:postgresql://db.example.com:5432/kamailio)");
    assertThat(problems(MINIMAL.replace("/kamailio\"", "/kamailio?user=x&password=hunter2\""))).singleElement().asString()
        .isEqualTo("cp.yaml:3: database.jdbcUrl: must not carry a password: set database.password to file:/path or env:NAME");
    assertThat(problems(MINIMAL.replace(", user: dialtone", ""))).containsExactly(
        "cp.yaml:3: database.user: is required: the database user the control plane writes routing as");
    assertThat(problems(MINIMAL + "listFile: /etc/kamailio/dispatcher.list\n")).singleElement().asString()
        .startsWith("cp.yaml:4: listFile: unknown key 'listFile'");
  }

  @Test
  void kamailioIsDrivenOverTheNetworkOnlySoTheConfigHasNoFileSetting() {
    // No path, file or directory anywhere in the section: the control plane never shares a file
    // system with Kamailio (its database and JSON-RPC are all it reaches).
    List<RecordComponent> components = Arrays.asList(KamailioConfig.class.getRecordComponents());
    components = new java.util.ArrayList<>(components);
    components.addAll(Arrays.asList(KamailioConfig.Database.class.getRecordComponents()));
    assertThat(components).allSatisfy(c -> {
      assertThat(c.getType()).isNotIn(Path.class, java.io.File.class);
      assertThat(c.getName().toLowerCase(Locale.ROOT)).doesNotContain("file").doesNotContain("path").doesNotContain("dir");
    });
  }
}
