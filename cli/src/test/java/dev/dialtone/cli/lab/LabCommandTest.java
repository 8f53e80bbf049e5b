package dev.dialtone.cli.lab;

import static dev.dialtone.cli.controlplane.ControlPlaneVerbsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.cli.controlplane.ControlPlaneVerbsTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad lab options are usage errors naming the option, refused before anything starts. */
class LabCommandTest {
  @TempDir Path dir;

  @Test
  void oneRegionIsRefusedBeforeAnythingStarts() {
    Run r = run("lab", "--regions", "us-east", "--work-dir", dir.resolve("w").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("lab: 2 or 3 regions, not 1");
    assertThat(Files.exists(dir.resolve("w"))).as("nothing was created").isFalse();
  }

  @Test
  void aHoldThatIsNotADurationIsRefused() {
    Run r = run("lab", "--hold", "ten minutes", "--work-dir", dir.resolve("w").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'--hold': 'ten minutes' is not a duration; write a whole number with a unit: 500ms, 30s, 5m, 1h");
    assertThat(Files.exists(dir.resolve("w"))).isFalse();
  }

  @Test
  void anUnknownProfileNamesTheChoices() {
    Run r = run("lab", "--profile", "turbo");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--profile").contains("DEFAULT").contains("FAST");
  }

  @Test
  void timelineLinesAreRelativeToTheFirstEvent() {
    Instant t0 = Instant.parse("2026-11-30T00:00:00Z");
    assertThat(LabCommand.timelineLine(t0, new TimelineEvent(t0.plusMillis(1682),
        EventKind.REGION_DOWN, "us-east DOWN")))
        .isEqualTo("    +1.682 s  REGION_DOWN          us-east DOWN");
  }
}
