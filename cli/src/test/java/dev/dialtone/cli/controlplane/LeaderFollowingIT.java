package dev.dialtone.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.controlplane.testing.HealthyAgent;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Given every replica's address, the CLI finds the leader itself (a follower listed first), and
 * waits out the election after the leader stops, with the dead address still in the list.
 * (Real kill -9 of the leader process: {@code LabIT}.)
 */
class LeaderFollowingIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  static ControlPlaneReplica replica(String id) throws Exception {
    return new ControlPlaneReplica(new ControlPlaneConfigLoader().parse(id + ".yaml", """
        deployment: follow-it
        replicaId: %s
        zookeeper: { connect: "%s", sessionTimeout: 3s }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        dns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ] }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20] } }
        """.formatted(id, zk.peer().connectString()))).start();
  }

  static ControlPlaneVerbsTest.Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--plaintext");
    return ControlPlaneVerbsTest.run(all.toArray(String[]::new));
  }

  @Test
  void aSwitchoverGivenEveryReplicaReachesTheLeaderBeforeAndRightAfterItStops() throws Exception {
    List<ControlPlaneReplica> replicas = new ArrayList<>();
    List<ManagedChannel> channels = new ArrayList<>();
    List<HealthyAgent> agents = new ArrayList<>();
    try {
      for (String id : List.of("cp-1", "cp-2", "cp-3")) {
        ControlPlaneReplica r = replica(id);
        replicas.add(r);
        ManagedChannel c = ManagedChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
        channels.add(c);
        agents.add(new HealthyAgent(c, "follow-it", "us-east"));
        agents.add(new HealthyAgent(c, "follow-it", "us-west"));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> replicas.stream().anyMatch(r -> r.replica().loop().epoch() > 0)
          && cli("status", "--server", address(replicas.get(0))).out().contains("routing      us-east"));
      ControlPlaneReplica leader = replicas.stream().filter(r -> r.replica().loop().epoch() > 0).findFirst().orElseThrow();
      // Followers first: the CLI must not stop at "not the leader".
      List<ControlPlaneReplica> order = new ArrayList<>(replicas);
      order.sort(Comparator.comparing(r -> r == leader));
      String servers = String.join(",", order.stream().map(LeaderFollowingIT::address).toList());

      ControlPlaneVerbsTest.Run west = cli("switchover", "--to", "us-west", "--server", servers);
      assertThat(west.exit()).as(west.err()).isZero();
      assertThat(west.out()).contains("SUCCEEDED");

      String dead = address(leader);
      leader.close(); // its address stays in the list, now refusing connections
      ControlPlaneVerbsTest.Run east = cli("switchover", "--to", "us-east", "--server", dead + "," + servers,
          "--timeout", "30");
      assertThat(east.exit()).as(east.err()).isZero();
      assertThat(east.out()).contains("SUCCEEDED");
      ControlPlaneReplica survivor = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
      assertThat(cli("status", "--server", dead + "," + address(survivor)).out()).contains("routing      us-east");

      ControlPlaneVerbsTest.Run unreachable = cli("status", "--server", dead, "--timeout", "2");
      assertThat(unreachable.exit()).as("one dead address alone: unreachable").isEqualTo(3);
    } finally {
      agents.forEach(HealthyAgent::close);
      channels.forEach(ManagedChannel::shutdownNow);
      replicas.forEach(ControlPlaneReplica::close);
    }
  }

  static String address(ControlPlaneReplica r) {
    return "127.0.0.1:" + r.grpcPort();
  }
}
