package dev.dialtone.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab end to end: every real peer, three replicas, agents, calls flowing to the active region. */
class LabIT {
  @TempDir static Path work;
  static Lab lab;

  @BeforeAll
  static void start() throws Exception {
    lab = Lab.start(new LabSettings(work, List.of("us-east", "us-west"), ProbeProfile.DEFAULT, 5, false),
        System.out::println);
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void theFirstRegionIsActiveAndCallsReachItsEdge() {
    assertThat(lab.placement()).hasValueSatisfying(p -> assertThat(p.activeRegion()).isEqualTo("us-east"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lab.regions().get(0).edge().answeredCalls() >= 5);
    assertThat(lab.regions().get(1).edge().answeredCalls()).isZero();
    assertThat(lab.calls().failures()).isEmpty();
  }
}
