package dev.dialtone.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperReportStoreIT {
  @RegisterExtension static final PeerExtension<ZooKeeperEnsemble> zookeeper = PeerExtension.of(ZooKeeperEnsemble::new);

  @Test
  void storesReportsListsThemNewestFirstAndKeepsOnlyTheNewest() throws Exception {
    try (CuratorFramework writer = zookeeper.peer().newClient();
        CuratorFramework reader = zookeeper.peer().newClient()) {
      writer.start();
      reader.start();
      DrillZnodes znodes = new DrillZnodes("reports-it");
      ReportStore store = new ZooKeeperReportStore(writer, znodes, 3);
      for (int i = 1; i <= 4; i++) {
        store.save(DrillReport.from(SampleReports.passed("run-" + i, SampleReports.T0.plus(Duration.ofDays(i)))));
      }

      ReportStore otherReplica = new ZooKeeperReportStore(reader, znodes, 3);
      assertThat(otherReplica.list()).extracting(ReportStore.Summary::runId).containsExactly("run-4", "run-3", "run-2");
      assertThat(otherReplica.get("run-3")).hasValue(DrillReport.from(SampleReports.passed("run-3", SampleReports.T0.plus(Duration.ofDays(3)))));
      assertThat(otherReplica.get("run-1")).isEmpty();

      // The oldest report of all: a keep of 3 would prune it at once.
      DrillReport hostile = DrillReport.from(SampleReports.hostile());
      ReportStore roomy = new ZooKeeperReportStore(writer, znodes, 10);
      roomy.save(hostile);
      roomy.save(hostile);
      assertThat(otherReplica.get("run-hostile")).hasValue(hostile);
    }
  }
}
