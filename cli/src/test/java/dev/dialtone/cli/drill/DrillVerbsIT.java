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

  private static String config(String deployment, String replicaId, String connect) {
    return """
        deployment: %s
        replicaId: %s
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
        """.formatted(deployment, replicaId, connect);
  }

  @Test
  void aDrillAppliedThroughTheCliIsSeenByEveryReplicaAndSurvivesTheirRestarts(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("drills")); // no seeds
    Path cfg1 = Files.writeString(dir.resolve("cp-1.yaml"), config("cli-apply-it", "cp-1", zk.peer().connectString()));
    Path cfg2 = Files.writeString(dir.resolve("cp-2.yaml"), config("cli-apply-it", "cp-2", zk.peer().connectString()));
    Path drill = Files.writeString(dir.resolve("db-down.yaml"), """
        name: db-down
        region: standby:1
        target: { kind: DB, dependency: db }
        faults: [ { type: down } ]
        duration: 20s
        guardrails: { max_duration: 2m }
        """);
    Path typo = Files.writeString(dir.resolve("typo.yaml"), """
        name: typo
        region: us-eats
        target: { kind: DB, dependency: db }
        faults: [ { type: down } ]
        duration: 20s
        guardrails: { max_duration: 2m }
        """);
    Path key = Files.writeString(dir.resolve("key.yaml"), Files.readString(typo).replace("max_duration", "max_duraton"));
    ControlPlaneReplica[] replicas = {new ControlPlaneReplica(new ControlPlaneConfigLoader().load(cfg1)).start(),
        new ControlPlaneReplica(new ControlPlaneConfigLoader().load(cfg2)).start()};
    try {
      String both = servers(replicas);
      awaitLeader(replicas);

      ControlPlaneVerbsTest.Run refused = run("drill", "apply", "-f", typo.toString(), "--server", both, "--plaintext");
      assertThat(refused.exit()).as(refused.out()).isNotZero();
      assertThat(refused.err()).contains(typo + ":2: region: 'us-eats' is not a region of this deployment")
          .contains("did you mean 'us-east'?");
      assertThat(run("drill", "apply", "-f", key.toString(), "--server", both, "--plaintext").err())
          .contains(key + ":6: guardrails.max_duraton: unknown key 'max_duraton' in guardrails (did you mean 'max_duration'?)");

      ControlPlaneVerbsTest.Run applied = run("drill", "apply", "-f", drill.toString(), "--server", both, "--plaintext",
          "--reason", "new game day");
      assertThat(applied.exit()).as(applied.err()).isZero();
      assertThat(applied.out()).contains("drill db-down created");
      assertThat(run("drill", "apply", "-f", drill.toString(), "--server", both, "--plaintext").out())
          .contains("drill db-down unchanged");
      for (ControlPlaneReplica r : replicas) {
        await().atMost(Duration.ofSeconds(10)).until(() -> run("drill", "list", "--server", "127.0.0.1:" + r.grpcPort(),
            "--plaintext").out().contains("db-down"));
      }
      assertThat(run("history", "--server", both, "--plaintext").out()).contains("drill db-down created from " + drill)
          .contains("new game day");

      replicas[0].close();
      replicas[1].close();
      replicas[0] = new ControlPlaneReplica(new ControlPlaneConfigLoader().load(cfg1)).start();
      replicas[1] = new ControlPlaneReplica(new ControlPlaneConfigLoader().load(cfg2)).start();
      awaitLeader(replicas);
      String restarted = servers(replicas);
      for (ControlPlaneReplica r : replicas) {
        assertThat(run("drill", "list", "--server", "127.0.0.1:" + r.grpcPort(), "--plaintext").out())
            .as("after restarts").contains("db-down").contains("anonymous");
      }

      ControlPlaneVerbsTest.Run deleted = run("drill", "delete", "db-down", "--reason", "retired", "--server", restarted, "--plaintext");
      assertThat(deleted.exit()).as(deleted.err()).isZero();
      for (ControlPlaneReplica r : replicas) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !run("drill", "list", "--server", "127.0.0.1:" + r.grpcPort(),
            "--plaintext").out().contains("db-down"));
      }
      ControlPlaneVerbsTest.Run again = run("drill", "delete", "db-down", "--reason", "twice", "--server", restarted, "--plaintext");
      assertThat(again.err()).contains("NOT_FOUND").contains("no drill named 'db-down'");
    } finally {
      replicas[0].close();
      replicas[1].close();
    }
  }

  private static String servers(ControlPlaneReplica... replicas) {
    return String.join(",", java.util.Arrays.stream(replicas).map(r -> "127.0.0.1:" + r.grpcPort()).toList());
  }

  private static void awaitLeader(ControlPlaneReplica... replicas) {
    await().atMost(Duration.ofSeconds(15)).until(() -> java.util.Arrays.stream(replicas).anyMatch(r -> r.replica().loop().epoch() > 0));
  }

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
    Path cfg = Files.writeString(dir.resolve("cp.yaml"), config("cli-drill-it", "cp-1", zk.peer().connectString()));
    try (ControlPlaneReplica replica = new ControlPlaneReplica(new ControlPlaneConfigLoader().load(cfg)).start()) {
      String server = "127.0.0.1:" + replica.grpcPort();
      await().atMost(Duration.ofSeconds(15)).until(() -> replica.replica().loop().epoch() > 0);

      ControlPlaneVerbsTest.Run list = run("drill", "list", "--server", server, "--plaintext");
      assertThat(list.out()).as("seeded by the leader before it answers").contains("llm-timeout").contains("seed");
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
