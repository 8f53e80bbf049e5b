package dev.dialtone.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillCatalogTest {
  @TempDir Path drills;

  private final DrillCatalog catalog = new DrillCatalog(new DrillFileReader());

  private void write(String file, String name) throws Exception {
    Files.writeString(
        drills.resolve(file),
        """
        # a drill
        name: %s
        region: us-east
        target: { kind: DB, dependency: postgres }
        faults: [ { type: down } ]
        duration: 10s
        guardrails: { max_duration: 1m }
        """
            .formatted(name));
  }

  @Test
  void readsEveryDrillFileOfADirectoryInFileOrder() throws Exception {
    write("b.yml", "db-down-b");
    write("a.yaml", "db-down-a");
    Files.writeString(drills.resolve("notes.txt"), "not a drill");

    assertThat(catalog.read(drills)).extracting(DrillDefinition::name).containsExactly("db-down-a", "db-down-b");
  }

  @Test
  void reportsTheProblemsOfEveryFileAndDuplicateNames() throws Exception {
    write("a.yaml", "db-down");
    write("b.yaml", "db-down");
    Files.writeString(drills.resolve("c.yaml"), "name: broken\nregoin: us-east\n");

    assertThatThrownBy(() -> catalog.read(drills))
        .isInstanceOf(dev.dialtone.config.ConfigException.class)
        .hasMessageContaining(drills.resolve("b.yaml") + ":2: name: drill name 'db-down' is already used by " + drills.resolve("a.yaml"))
        .hasMessageContaining(drills.resolve("c.yaml") + ":2: regoin: unknown key 'regoin' (did you mean 'region'?)");
  }

  @Test
  void theShippedDrillsDirectoryIsValid() throws Exception {
    assertThat(catalog.read(Path.of("drills"))).extracting(DrillDefinition::name).contains("llm-timeout");
  }
}
