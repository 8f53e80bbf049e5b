package dev.dialtone.controlplane.health;

import static dev.dialtone.controlplane.health.Reports.dependency;
import static dev.dialtone.controlplane.health.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.controlplane.health.IngestResult.Outcome;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Dedupe and ordering invariants of the health view over random delivery orders, and under concurrency. */
class HealthViewPropertiesTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final HealthStatus[] STATUSES = {
      HealthStatus.HEALTH_STATUS_UP, HealthStatus.HEALTH_STATUS_DEGRADED, HealthStatus.HEALTH_STATUS_DOWN};

  static HealthReport numbered(String region, String agent, long sequence) {
    return report(region, sequence, T0).setAgentId(agent)
        .addDependencies(dependency("db", DependencyKind.DEPENDENCY_KIND_DB,
            STATUSES[(int) (sequence % STATUSES.length)], true))
        .build();
  }

  /** Whatever order and duplication the network delivers in, the newest report wins and each is applied at most once. */
  @Property(tries = 300)
  void theNewestReportWinsWhateverTheDeliveryOrder(@ForAll("deliveries") List<Long> delivery) {
    var view = new HealthView("acme-voice", () -> Set.of("east"), Duration.ofSeconds(5), 4096);
    long highest = 0;
    int expectedAccepted = 0;
    for (long seq : delivery) {
      Outcome outcome = view.ingest(numbered("east", "a", seq), T0).outcome();
      assertThat(outcome).isEqualTo(seq > highest ? Outcome.ACCEPTED : seq == highest ? Outcome.DUPLICATE : Outcome.STALE);
      if (seq > highest) {
        highest = seq;
        expectedAccepted++;
      }
    }
    RegionHealth east = view.snapshot(T0).region("east");
    assertThat(east.dependencies().get(0).status())
        .isEqualTo(HealthView.status(STATUSES[(int) (highest % STATUSES.length)]));
    assertThat(expectedAccepted).isPositive();
  }

  @Provide
  Arbitrary<List<Long>> deliveries() {
    return Arbitraries.longs().between(1, 30).list().ofMinSize(1).ofMaxSize(60);
  }

  @Test
  void concurrentAgentsEachHaveEveryReportAppliedExactlyOnce() throws Exception {
    var regions = Set.of("east", "west", "eu");
    var view = new HealthView("acme-voice", () -> regions, Duration.ofSeconds(5), 4096);
    int perAgent = 5_000;
    Set<String> applied = ConcurrentHashMap.newKeySet();
    var appliedTwice = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      var futures = new ArrayList<Future<?>>();
      for (String region : regions) {
        for (String agent : List.of("a1", "a2")) {
          // Two threads deliver the same agent's stream, as a retransmitting network would.
          for (int copy = 0; copy < 2; copy++) {
            futures.add(pool.submit(() -> {
              for (long s = 1; s <= perAgent; s++) {
                if (view.ingest(numbered(region, agent, s), T0).outcome() == Outcome.ACCEPTED
                    && !applied.add(region + "/" + agent + "/" + s)) {
                  appliedTwice.incrementAndGet();
                }
              }
            }));
          }
        }
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(appliedTwice.get()).as("reports applied twice").isZero();
    for (String region : regions) {
      assertThat(applied).contains(region + "/a1/" + perAgent, region + "/a2/" + perAgent);
      assertThat(view.snapshot(T0).region(region).dependencies().get(0).status())
          .as("the newest report (sequence %d) wins in %s", perAgent, region)
          .isEqualTo(HealthView.status(STATUSES[perAgent % STATUSES.length]));
    }
  }
}
