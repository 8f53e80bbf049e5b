package dev.dialtone.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.cli.Dialtone;
import dev.dialtone.peers.process.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The operator verbs' parsing and exit codes; {@link #run} is shared with other verbs' tests. */
public class ControlPlaneVerbsTest {
  /** One command line's exit code and output. */
  public record Run(int exit, String out, String err) {}

  /** Runs {@code dialtone ARGS} in process. */
  public static Run run(String... args) {
    CommandLine cli = Dialtone.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"control-plane", "status", "switchover", "failover", "freeze", "unfreeze", "mode", "outage", "history",
      "regions", "regions register", "regions drain", "regions cancel-drain", "regions deregister",
      "drill", "drill list", "drill run", "drill abort", "drill report"})
  void everyVerbHasHelp(String verb) {
    String[] args = (verb + " --help").split(" ");
    Run r = run(args);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: dialtone " + verb);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "100000"})
  void aHistoryLimitOutsideOneTo500IsAUsageError(String limit) {
    Run r = run("history", "--server", "127.0.0.1:1", "--plaintext", "--limit", limit);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--limit must be 1..500: " + limit);
  }

  @Test
  void underJsonOutputErrorsAreOneJsonObjectOnStandardError() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    Run unreachable = run("status", "--server", "127.0.0.1:" + FreePorts.tcpAndUdp(), "--timeout", "2", "--plaintext",
        "--output", "json");
    assertThat(unreachable.exit()).isEqualTo(3);
    assertThat(unreachable.out()).isEmpty();
    var error = json.readTree(unreachable.err()).get("error");
    assertThat(error.get("command").asText()).isEqualTo("dialtone status");
    assertThat(error.get("code").asText()).isEqualTo("UNAVAILABLE");
    assertThat(error.get("exitCode").asInt()).isEqualTo(3);

    Run badLimit = run("history", "--server", "127.0.0.1:1", "--plaintext", "--limit", "0", "--output=json");
    assertThat(badLimit.exit()).isEqualTo(2);
    error = json.readTree(badLimit.err()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("USAGE");
    assertThat(error.get("message").asText()).contains("--limit must be 1..500: 0");

    Run unknownOption = run("status", "--bogus", "--output", "json");
    assertThat(unknownOption.exit()).isEqualTo(2);
    assertThat(json.readTree(unknownOption.err()).get("error").get("message").asText()).contains("--bogus");

    Run badServer = run("status", "--server", "nohost", "--output", "json");
    assertThat(json.readTree(badServer.err()).get("error").get("message").asText()).contains("--server must be HOST:PORT");
  }

  @Test
  void aWatchIntervalUnder100MillisecondsIsAUsageError() {
    Run r = run("status", "--watch", "--interval", "10ms", "--server", "127.0.0.1:1", "--plaintext");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--interval must be at least 100ms");
  }

  @Test
  void anUnreachableControlPlaneExitsWithThree() {
    Run r = run("status", "--server", "127.0.0.1:" + FreePorts.tcpAndUdp(), "--timeout", "3", "--plaintext");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("UNAVAILABLE");
  }

  @Test
  void withoutTlsOrAnExplicitPlaintextTheCliRefusesToConnect() {
    Run r = run("status", "--server", "127.0.0.1:1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--tls-ca (or DIALTONE_TLS_CA, or --tls-dir) is required");
  }

  @Test
  void aTokenIsNeverSentInTheClearNorPrinted(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "tok-s3cret\n");
    Run r = run("status", "--server", "192.0.2.1:1", "--plaintext", "--token-file", token.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("would send the bearer token in the clear to 192.0.2.1").doesNotContain("tok-s3cret");
    // Over loopback a plaintext replica may take it (its tokens guard mutations): here nobody listens.
    Run local = run("status", "--server", "127.0.0.1:1", "--plaintext", "--token-file", token.toString(), "--timeout", "5");
    assertThat(local.exit()).as(local.err()).isEqualTo(3);
    assertThat(local.err()).doesNotContain("tok-s3cret");
    Run missing = run("status", "--server", "127.0.0.1:1", "--tls-ca", dir.resolve("nope.crt").toString());
    assertThat(missing.exit()).as("a file that cannot be used is a configuration problem").isEqualTo(78);
    assertThat(missing.err()).contains("--tls-ca: cannot read " + dir.resolve("nope.crt") + " (no such file)");
  }

  @Test
  void aMissingRequiredOptionIsAUsageError() {
    assertThat(run("failover", "--to", "us-west").exit()).isEqualTo(2);
    assertThat(run("outage", "sideways", "--reason", "x").exit()).isEqualTo(2);
    assertThat(run("drill", "abort", "llm-timeout-1").exit()).as("abort needs a reason").isEqualTo(2);
    assertThat(run("drill", "report", "r-1", "--format", "pdf").exit()).isEqualTo(2);
  }

  @Test
  void aBadConfigIsRefusedWithExitSeventyEight(@TempDir Path dir) throws Exception {
    Path cfg = Files.writeString(dir.resolve("cp.yaml"), "deployment: acme\nreplicaId: cp-1\n");
    Run r = run("control-plane", "--config", cfg.toString());
    assertThat(r.exit()).isEqualTo(78);
    assertThat(r.err()).contains("cp.yaml:1: zookeeper.connect: is required");
  }

  @Test
  void aReplicaWithNothingToDriveRefusesToStartNamingWhatIsMissing(@TempDir Path dir) throws Exception {
    Path cfg = Files.writeString(dir.resolve("cp.yaml"), """
        deployment: acme
        replicaId: cp-1
        zookeeper: { connect: "127.0.0.1:1" }
        regions: [ { id: us-east, priority: 1, edge: { a: [192.0.2.1] } } ]
        security: { plaintext: true }
        """);
    Run r = run("control-plane", "--config", cfg.toString());
    assertThat(r.exit()).isEqualTo(78);
    assertThat(r.err()).contains(cfg + ":1: no actuator configured: set dns: and/or carrier:")
        .contains("or mode: RECOMMEND_ONLY");
  }
}
