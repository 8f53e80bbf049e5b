package dev.dialtone.cli.drill;

import static dev.dialtone.cli.controlplane.ControlPlaneVerbsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.cli.controlplane.ControlPlaneVerbsTest;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dialtone drill} against a real replica with game days configured. No agent reports
 * reach it, so no standby is healthy: a drill's preflight refuses it and nothing is injected
 * (which is why no Toxiproxy is needed here; GameDayIT in control-plane runs drills that inject).
 */
class DrillVerbsIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  @Test
  void drillVerbsListRunWaitAbortAndReport(@TempDir Path dir) throws Exception {
    Path drills = Files.createDirectories(dir.resolve("drills"));
    Files.writeString(drills.resolve("llm-timeout.yaml"), """
        name: llm-timeout
        region: us-east
        target: { kind: LLM, dependency: llm }
        faults: [ { type: timeout, timeout: 0ms } ]
        duration: 30s
        guardrails: { max_duration: 3m }
        schedule: { cron: "0 10 1 * *", zone: Europe/Paris }
        """);
    Path cfg = Files.writeString(dir.resolve("cp.yaml"), """
        deployment: cli-drill-it
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        # An in-process DNS provider: these tests are about the verbs, not the actuators.
        dns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ] }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20] } }
        chaos: { toxiproxy: "http://127.0.0.1:1", drills: drills }
        """.formatted(zk.peer().connectString()));
    try (ControlPlaneReplica replica = new ControlPlaneReplica(new ControlPlaneConfigLoader().load(cfg)).start()) {
      String server = "127.0.0.1:" + replica.grpcPort();
      await().atMost(Duration.ofSeconds(15)).until(() -> replica.replica().loop().epoch() > 0);

      ControlPlaneVerbsTest.Run list = run("drill", "list", "--server", server, "--plaintext");
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out()).contains("DRILL").contains("llm-timeout").contains("0 10 1 * * Europe/Paris");

      ControlPlaneVerbsTest.Run waited = run("drill", "run", "llm-timeout", "--server", server, "--plaintext", "--reason", "cli test", "--wait");
      assertThat(waited.exit()).as("a drill that did not pass exits 1").isEqualTo(1);
      assertThat(waited.out()).contains("started; following it").contains("PREFLIGHT_REFUSED").contains("no healthy standby region")
          .contains("SKIPPED");
      Matcher id = Pattern.compile("run (llm-timeout-manual-\\d+) started").matcher(waited.out());
      assertThat(id.find()).isTrue();
      String runId = id.group(1);

      assertThat(run("drill", "list", "--server", server, "--plaintext").out()).contains(runId).contains("SKIPPED");
      // A second run: the last-run column moves on, the stored runs still list both.
      ControlPlaneVerbsTest.Run again = run("drill", "run", "llm-timeout", "--server", server, "--plaintext", "--reason", "again", "--wait");
      Matcher second = Pattern.compile("run (llm-timeout-manual-\\d+) started").matcher(again.out());
      assertThat(second.find()).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> run("drill", "list", "--server", server, "--plaintext").out()
          .contains(second.group(1)));
      String listed = run("drill", "list", "--server", server, "--plaintext").out();
      int runsTable = listed.indexOf("\nRUN");
      assertThat(runsTable).as("a table of stored runs follows the drills").isPositive();
      String runs = listed.substring(runsTable);
      assertThat(runs).contains(runId).contains(second.group(1));
      assertThat(runs.indexOf(second.group(1))).as("newest first").isLessThan(runs.indexOf(runId));
      assertThat(run("drill", "report", runId, "--server", server, "--plaintext", "--format", "markdown").out()).contains("llm-timeout");
      Path html = dir.resolve("report.html");
      ControlPlaneVerbsTest.Run written = run("drill", "report", runId, "--server", server, "--plaintext", "--format", "html", "--out", html.toString());
      assertThat(written.out()).contains("wrote " + html).contains("text/html");
      assertThat(Files.readString(html)).contains("<svg");

      ControlPlaneVerbsTest.Run abort = run("drill", "abort", runId, "--server", server, "--plaintext", "--reason", "too late");
      assertThat(abort.exit()).isEqualTo(1);
      assertThat(abort.err()).contains("NOT_FOUND").contains("no drill run " + runId + " is active");
      assertThat(run("history", "--server", server, "--plaintext").out()).contains("drill llm-timeout started as run " + runId).contains("cli test");
    }
  }
}
