package dev.dialtone.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.testing.HealthyAgent;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator verbs against a real replica (no actuators: recommend only) on a real ensemble. */
class ControlPlaneVerbsIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  /** The replica here runs the explicit plaintext profile. */
  static ControlPlaneVerbsTest.Run run(String... args) {
    String[] plaintext = java.util.Arrays.copyOf(args, args.length + 1);
    plaintext[args.length] = "--plaintext";
    return ControlPlaneVerbsTest.run(plaintext);
  }

  /** A plaintext channel to the replica for the test agent. */
  private static final class AgentChannel implements AutoCloseable {
    final io.grpc.ManagedChannel channel;

    AgentChannel(int port) {
      channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }

  @Test
  void operatorVerbsPrintTablesAndJsonWithMeaningfulExitCodes() throws Exception {
    var config = new ControlPlaneConfigLoader().parse("cli-it.yaml", """
        deployment: cli-it
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        # An in-process DNS provider: these tests are about the verbs, not the actuators.
        dns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ],
               fallback: [ { id: answering-service, a: [192.0.2.99] } ] }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20] } }
        """.formatted(zk.peer().connectString()));
    try (ControlPlaneReplica replica = new ControlPlaneReplica(config).start();
        AgentChannel channel = new AgentChannel(replica.grpcPort());
        HealthyAgent west = new HealthyAgent(channel.channel, "cli-it", "us-west")) {
      String server = "127.0.0.1:" + replica.grpcPort();
      // us-west reports healthy (a test agent); us-east never does.
      await().atMost(Duration.ofSeconds(15)).until(() -> run("status", "--server", server).out().contains("routing      us-west"));

      ControlPlaneVerbsTest.Run status = run("status", "--server", server);
      assertThat(status.exit()).isZero();
      assertThat(status.out()).contains("leader       cp-1 at epoch").contains("REGION").contains("us-west");
      assertThat(run("status", "--server", server, "--output", "json").out()).contains("\"leaderId\": \"cp-1\"");

      // status --watch prints a line per change (JSON here) and nothing while nothing changes.
      var cli = dev.dialtone.cli.Dialtone.commandLine();
      StatusCommand watch = cli.getSubcommands().get("status").getCommand();
      watch.maxChanges = 3;
      var watched = new java.io.StringWriter();
      cli.setOut(new java.io.PrintWriter(watched, true));
      var watching = java.util.concurrent.CompletableFuture.supplyAsync(() -> cli.execute(
          "status", "--watch", "--interval", "200ms", "--output", "json", "--server", server, "--plaintext"));
      await().atMost(Duration.ofSeconds(10)).until(() -> watched.toString().lines().count() == 1);
      assertThat(run("freeze", "--server", server, "--reason", "watched").exit()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> watched.toString().lines().count() == 2);
      assertThat(run("unfreeze", "--server", server).exit()).isZero();
      assertThat(watching.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
      List<String> frames = watched.toString().lines().toList();
      assertThat(frames).hasSize(3);
      assertThat(frames.get(0)).doesNotContain("\"freeze\"");
      assertThat(frames.get(1)).contains("\"mode\":\"MODE_FROZEN\"").contains("\"reason\":\"watched\"");
      assertThat(frames.get(2)).doesNotContain("\"freeze\"");

      ControlPlaneVerbsTest.Run refused = run("switchover", "--server", server, "--to", "us-east");
      assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
      assertThat(refused.err()).contains("FAILED_PRECONDITION").contains("refused");

      ControlPlaneVerbsTest.Run forced = run("failover", "--server", server, "--to", "us-east", "--reason", "drill", "--force");
      assertThat(forced.exit()).as(forced.err()).isZero();
      assertThat(forced.out()).contains("apply dns/inmemory").contains("SUCCEEDED");

      // Outage mode set by hand holds: the loop does not lead the deployment out of it though
      // us-west is healthy (outageAutoExit is for an outage the policy entered).
      assertThat(run("outage", "on", "--server", server, "--reason", "test").exit()).isZero();
      assertThat(run("status", "--server", server).out()).contains("OUTAGE MODE");
      assertThat(run("freeze", "--server", server, "--reason", "change window").out()).contains("mode FROZEN by anonymous: change window");
      ControlPlaneVerbsTest.Run frozenOff = run("outage", "off", "--server", server, "--reason", "test over");
      assertThat(frozenOff.exit()).as("a freeze holds routing still, outage mode too").isEqualTo(1);
      assertThat(frozenOff.err()).contains("FAILED_PRECONDITION").contains("frozen");
      assertThat(run("status", "--server", server).out()).contains("OUTAGE MODE");
      assertThat(run("unfreeze", "--server", server).out()).contains("mode AUTO");
      assertThat(run("outage", "off", "--server", server, "--reason", "test over").exit()).isZero();

      // MANUAL: the policy decides and records but moves nothing; AUTO again afterwards.
      assertThat(run("mode", "manual", "--server", server, "--reason", "maintenance").out()).isEqualTo("mode MANUAL\n");
      assertThat(run("status", "--server", server).out()).contains("MANUAL");
      assertThat(run("mode", "MANUAL", "--server", server, "--reason", "again").out()).contains("(unchanged)");
      assertThat(run("mode", "frozen", "--server", server, "--reason", "x").exit()).as("freeze is its own verb").isEqualTo(2);
      assertThat(run("mode", "auto", "--server", server, "--reason", "maintenance over").out()).isEqualTo("mode AUTO\n");

      assertThat(run("regions", "register", "eu-west", "--server", server, "--priority", "3", "--a", "192.0.2.30").out())
          .contains("eu-west: PROVISIONING");
      assertThat(run("regions", "register", "eu-west", "--server", server, "--priority", "3", "--a", "192.0.2.30").out())
          .contains("(unchanged)");
      assertThat(run("regions", "deregister", "eu-west", "--server", server).exit()).isEqualTo(1);
      assertThat(run("regions", "drain", "eu-west", "--server", server).out()).contains("eu-west: DRAINING");
      assertThat(run("regions", "cancel-drain", "eu-west", "--server", server).out()).contains("eu-west: PROVISIONING");
      assertThat(run("regions", "drain", "eu-west", "--server", server).out()).contains("eu-west: DRAINING");
      assertThat(run("regions", "deregister", "eu-west", "--server", server).exit()).isZero();
      assertThat(run("regions", "deregister", "eu-west", "--server", server).out()).as("a retry succeeds")
          .contains("eu-west: REMOVED (unchanged)");

      ControlPlaneVerbsTest.Run history = run("history", "--server", server, "--limit", "100");
      assertThat(history.out()).contains("MANUAL_ACTION").contains("failover to us-east (forced)").contains("anonymous")
          .contains("mode AUTO -> MANUAL").contains("maintenance");
      assertThat(run("history", "--server", server, "--output", "json").out()).contains("\"entries\"");

      // The server checks every field itself (a pipeline or grpcurl need not go through this CLI).
      ControlPlaneVerbsTest.Run badToken = run("history", "--server", server, "--page-token", "garbage");
      assertThat(badToken.exit()).as("invalid input, as a usage error").isEqualTo(2);
      assertThat(badToken.err()).contains("INVALID_ARGUMENT").contains("page_token is not one this service handed out");
      ControlPlaneVerbsTest.Run badAddress = run("regions", "register", "ap-south", "--server", server, "--priority", "4", "--a", "999.1.1.1");
      assertThat(badAddress.exit()).isEqualTo(2);
      assertThat(badAddress.err()).contains("INVALID_ARGUMENT").contains("edge.ipv4[0] is not an IPv4 address: 999.1.1.1");
      ControlPlaneVerbsTest.Run badSip = run("regions", "register", "ap-south", "--server", server, "--priority", "4", "--a", "192.0.2.40",
          "--sip", "notsip");
      assertThat(badSip.err()).contains("edge.sip_uri must be a sip: or sips: URI");
      assertThat(run("status", "--server", server).out()).as("nothing was registered").doesNotContain("ap-south");
    }
  }
}
