package dev.dialtone.chaos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dialtone.chaos.drill.DrillCatalog;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillFileReader;
import dev.dialtone.chaos.drill.DrillScope;
import dev.dialtone.chaos.testing.StartedClients;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.config.ConfigException;
import dev.dialtone.config.Problem;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperDrillStoreIT {
  @RegisterExtension static final PeerExtension<ZooKeeperEnsemble> zookeeper = PeerExtension.of(ZooKeeperEnsemble::new);
  private static final AtomicInteger deployments = new AtomicInteger();
  private static final DrillScope SCOPE = new DrillScope(Set.of("us-east", "us-west"), Set.of("llm", "db", "cache", "carrier"));

  private final List<AutoCloseable> opened = new ArrayList<>();
  private DrillZnodes znodes;
  private CuratorFramework leaderClient;
  private ZooKeeperDrillStore leader;
  private ZooKeeperDrillStore follower;

  static String drill(String name, String duration) {
    return """
        name: %s
        region: us-east
        target:
          kind: LLM
          dependency: llm
        faults:
          - type: down
        duration: %s
        guardrails:
          max_duration: 3m
        """.formatted(name, duration);
  }

  @BeforeEach
  void open() throws Exception {
    znodes = new DrillZnodes("store-" + deployments.incrementAndGet());
    leaderClient = client();
    leader = store(leaderClient, SCOPE);
    follower = store(client(), SCOPE);
  }

  private CuratorFramework client() throws InterruptedException {
    CuratorFramework c = StartedClients.started(zookeeper.peer().newClient());
    opened.add(c);
    return c;
  }

  private ZooKeeperDrillStore store(CuratorFramework client, DrillScope scope) throws InterruptedException {
    ZooKeeperDrillStore s = new ZooKeeperDrillStore(client, znodes, new DrillFileReader(scope), Clock.systemUTC()).start();
    opened.add(0, s);
    assertThat(s.awaitLoaded(Duration.ofSeconds(10))).isTrue();
    return s;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private void epoch(long value) throws Exception {
    leaderClient.create().orSetData().creatingParentsIfNeeded().forPath(znodes.epoch(),
        Long.toString(value).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void anAppliedDrillIsSeenByAnotherReplicaAndAReplicaStartedLater() throws Exception {
    epoch(3);
    DrillStore.Applied applied = leader.apply("cli:a.yaml", drill("a", "30s"), "alice", 3);

    assertThat(applied.outcome()).isEqualTo(DrillStore.Outcome.CREATED);
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.drills().stream().map(DrillDefinition::name).toList(),
        names -> names.equals(List.of("a")));
    assertThat(follower.stored().getFirst()).satisfies(s -> {
      assertThat(s.appliedBy()).isEqualTo("alice");
      assertThat(s.epoch()).isEqualTo(3);
      assertThat(s.source()).isEqualTo("cli:a.yaml");
    });
    ZooKeeperDrillStore restarted = store(client(), SCOPE);
    assertThat(restarted.drills()).extracting(DrillDefinition::name).containsExactly("a");
  }

  @Test
  void reapplyingTheSameTextChangesNothingAndANewTextUpdates() throws Exception {
    leader.apply("a.yaml", drill("a", "30s"), "alice", 1);

    assertThat(leader.apply("a.yaml", drill("a", "30s"), "bob", 1).outcome()).isEqualTo(DrillStore.Outcome.UNCHANGED);
    assertThat(leader.apply("a.yaml", drill("a", "45s"), "bob", 1).outcome()).isEqualTo(DrillStore.Outcome.UPDATED);
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.drills().stream().map(d -> d.duration()).toList(),
        d -> d.equals(List.of(Duration.ofSeconds(45))));
  }

  @Test
  void anInvalidDrillIsRefusedWithFileLineAndFieldAndNothingIsWritten() throws Exception {
    String typo = drill("a", "30s").replace("region: us-east", "region: us-eats");

    assertThatThrownBy(() -> leader.apply("drills/a.yaml", typo, "alice", 1))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
            .containsExactly(new Problem("drills/a.yaml", 2, "region",
                "'us-eats' is not a region of this deployment (nor 'all', every region) (did you mean 'us-east'?)")));
    assertThat(leaderClient.checkExists().forPath(znodes.definition("a"))).isNull();
  }

  @Test
  void aWriteUnderASupersededEpochIsRefused() throws Exception {
    leader.apply("a.yaml", drill("a", "30s"), "alice", 1);
    epoch(2);

    assertThatThrownBy(() -> leader.apply("a.yaml", drill("a", "45s"), "alice", 1))
        .isInstanceOfSatisfying(DrillStoreException.class, e -> assertThat(e.fenced()).isTrue());
    assertThatThrownBy(() -> leader.delete("a", "alice", 1))
        .isInstanceOfSatisfying(DrillStoreException.class, e -> assertThat(e.fenced()).isTrue());
    assertThat(leader.stored()).extracting(StoredDrill::yaml).containsExactly(drill("a", "30s"));
  }

  @Test
  void aDeletedDrillIsGoneEverywhereAndASeedDoesNotBringItBack() throws Exception {
    DrillCatalog.DrillFile seedA = seedFile("a", "30s");
    assertThat(leader.seed(List.of(seedA), 1)).extracting(DrillStore.Seeded::outcome).containsExactly("seeded");
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.drills().size() == 1);

    assertThat(leader.delete("a", "alice", 1)).isTrue();
    assertThat(leader.delete("a", "alice", 1)).as("already gone").isFalse();
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.drills().isEmpty());

    assertThat(leader.seed(List.of(seedA), 1)).extracting(DrillStore.Seeded::outcome)
        .singleElement().asString().startsWith("deleted through the admin API");
    assertThat(leader.apply("a.yaml", drill("a", "30s"), "alice", 1).outcome()).isEqualTo(DrillStore.Outcome.CREATED);
  }

  @Test
  void aSeedNeverReplacesWhatAnOperatorApplied() throws Exception {
    leader.apply("cli", drill("a", "45s"), "alice", 1);

    assertThat(leader.seed(List.of(seedFile("a", "30s"), seedFile("b", "30s")), 1))
        .extracting(DrillStore.Seeded::outcome)
        .satisfiesExactly(o -> assertThat(o).startsWith("kept the stored one (applied by alice"), o -> assertThat(o).isEqualTo("seeded"));
    assertThat(leader.seed(List.of(seedFile("b", "30s")), 1)).extracting(DrillStore.Seeded::outcome).containsExactly("already stored");
    await().atMost(Duration.ofSeconds(10)).until(() -> follower.drills().stream().map(d -> d.name() + "=" + d.duration()).toList(),
        d -> d.equals(List.of("a=PT45S", "b=PT30S")));
  }

  @Test
  void aReplicaRunsOnlyTheStoredDrillsValidInItsOwnScope() throws Exception {
    ZooKeeperDrillStore eastOnly = store(client(), new DrillScope(Set.of("us-east"), Set.of("llm")));
    leader.apply("a.yaml", drill("a", "30s"), "alice", 1);
    leader.apply("b.yaml", drill("b", "30s").replace("region: us-east", "region: us-west"), "alice", 1);

    await().atMost(Duration.ofSeconds(10)).until(() -> eastOnly.stored().size() == 2);
    assertThat(eastOnly.drills()).extracting(DrillDefinition::name).containsExactly("a");
  }

  private static DrillCatalog.DrillFile seedFile(String name, String duration) {
    String text = drill(name, duration);
    return new DrillCatalog.DrillFile(Path.of("drills", name + ".yaml"), text, new DrillFileReader(SCOPE).read(name, text));
  }
}
