package dev.dialtone.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.controlplane.leadership.EpochCounter;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.time.Instant;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperStateStoreIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  record Note(String text) {}

  CuratorFramework client;
  DeploymentPaths paths;
  ZooKeeperStateStore store;
  EpochCounter epochs;

  @BeforeEach
  void connect(TestInfo info) throws Exception {
    client = zk.peer().newClient();
    client.start();
    client.blockUntilConnected();
    paths = new DeploymentPaths("store-" + info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", ""));
    store = new ZooKeeperStateStore(client, paths, StateJson.mapper(), 5);
    epochs = new EpochCounter(client, paths.epoch());
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void writesAreCompareAndSetOnTheZnodeVersion() throws Exception {
    long epoch = epochs.next().epoch();
    int v0 = store.write(epoch, paths.placement(), new Note("a"), -1);
    int v1 = store.write(epoch, paths.placement(), new Note("b"), v0);

    assertThat(store.read(paths.placement(), Note.class)).get().isEqualTo(new Versioned<>(new Note("b"), v1));
    assertThatThrownBy(() -> store.write(epoch, paths.placement(), new Note("c"), v0))
        .isInstanceOf(StateException.Conflict.class);
  }

  @Test
  void aStaleEpochCannotWriteAnythingOnceANewTermBegan() throws Exception {
    long old = epochs.next().epoch();
    store.write(old, paths.placement(), new Note("old leader"), -1);
    long newer = epochs.next().epoch();

    assertThatThrownBy(() -> store.write(old, paths.placement(), new Note("stale"), -1))
        .isInstanceOf(StaleEpochException.class);
    assertThatThrownBy(() -> store.record(old, entry(old, "stale"))).isInstanceOf(StaleEpochException.class);
    assertThatThrownBy(() -> store.delete(old, paths.placement())).isInstanceOf(StaleEpochException.class);
    store.write(newer, paths.placement(), new Note("new leader"), -1);
    assertThat(store.read(paths.placement(), Note.class).orElseThrow().value().text()).isEqualTo("new leader");
  }

  @Test
  void historyIsBoundedAndPagedNewestFirst() throws Exception {
    long epoch = epochs.next().epoch();
    for (int i = 1; i <= 8; i++) {
      store.record(epoch, entry(epoch, "event " + i));
    }

    HistoryPage first = store.history(2, "", "");
    HistoryPage second = store.history(2, first.nextPageToken(), "");
    HistoryPage last = store.history(10, second.nextPageToken(), "");

    assertThat(first.entries()).extracting(HistoryEntry::summary).containsExactly("event 8", "event 7");
    assertThat(second.entries()).extracting(HistoryEntry::summary).containsExactly("event 6", "event 5");
    assertThat(last.entries()).extracting(HistoryEntry::summary).containsExactly("event 4");
    assertThat(last.nextPageToken()).isEmpty();
    assertThat(store.history(3, "", "plan-6").entries()).extracting(HistoryEntry::summary).containsExactly("event 6");
  }

  static HistoryEntry entry(long epoch, String summary) {
    return HistoryEntry.of(Instant.parse("2026-01-01T00:00:00Z"), HistoryKind.DECISION, epoch,
        "plan-" + summary.replace("event ", ""), "policy", summary, "because", Map.of("k", "v"));
  }
}
