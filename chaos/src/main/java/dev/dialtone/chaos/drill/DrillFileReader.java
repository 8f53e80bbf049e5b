package dev.dialtone.chaos.drill;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Problem;
import dev.dialtone.config.yaml.ClosestName;
import dev.dialtone.config.yaml.YamlLineIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads drill files (snake_case YAML) with the shared loader: strict binding (unknown keys refused
 * with the closest valid name), Bean Validation of every field, then the replica's {@link
 * DrillScope} (known regions and dependencies); every problem names the file, the line and the field.
 */
public final class DrillFileReader {
  private final ConfigLoader<DrillDefinition> loader = ConfigLoader.snakeCase(DrillDefinition.class, Map.of());
  private final DrillScope scope;

  /** A reader that checks fields only, not which regions and dependencies exist. */
  public DrillFileReader() {
    this(DrillScope.any());
  }

  public DrillFileReader(DrillScope scope) {
    this.scope = scope;
  }

  /** Reads and validates one drill file; its path as given is the file name in problems. */
  public DrillDefinition read(Path file) throws IOException {
    return read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Reads and validates drill text; {@code file} names it in problems.
   *
   * @throws ConfigException with every problem found
   */
  public DrillDefinition read(String file, String text) {
    DrillDefinition drill = loader.bind(file, text);
    YamlLineIndex lines = YamlLineIndex.of(text);
    List<Problem> problems = new ArrayList<>(loader.validate(file, lines, drill));
    if (scope.checksRegions() && drill.region() != null && !drill.targetsEveryRegion() && !DrillDefinition.isRole(drill.region())
        && !scope.regions().contains(drill.region())) {
      problems.add(new Problem(file, lines.lineOf("region"), "region",
          "'" + drill.region() + "' is not a region of this deployment (nor 'all', every region)"
              + hint(drill.region(), scope.regions())));
    }
    if (scope.checksDependencies() && drill.target() != null && drill.target().dependency() != null
        && !scope.dependencies().contains(drill.target().dependency())) {
      problems.add(new Problem(file, lines.lineOf("target.dependency"), "target.dependency",
          "'" + drill.target().dependency() + "' is not a dependency the fault levers reach"
              + hint(drill.target().dependency(), scope.dependencies())));
    }
    for (int i = 0; drill.then() != null && i < drill.then().size(); i++) {
      DrillStep step = drill.then().get(i);
      String at = "then[" + i + "]";
      if (step != null && scope.checksRegions() && step.region() != null && !DrillDefinition.isRole(step.region())
          && !DrillDefinition.EVERY_REGION.equals(step.region()) && !scope.regions().contains(step.region())) {
        problems.add(new Problem(file, lines.lineOf(at + ".region"), at + ".region",
            "'" + step.region() + "' is not a region of this deployment" + hint(step.region(), scope.regions())));
      }
      if (step != null && scope.checksDependencies() && step.target() != null && step.target().dependency() != null
          && !scope.dependencies().contains(step.target().dependency())) {
        problems.add(new Problem(file, lines.lineOf(at + ".target.dependency"), at + ".target.dependency",
            "'" + step.target().dependency() + "' is not a dependency the fault levers reach"
                + hint(step.target().dependency(), scope.dependencies())));
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(null);
      throw new ConfigException(problems);
    }
    return drill;
  }

  private static String hint(String wrong, Collection<String> valid) {
    List<String> sorted = valid.stream().sorted().toList();
    return ClosestName.to(wrong, sorted).map(n -> " (did you mean '" + n + "'?)")
        .orElse(" (known: " + String.join(", ", sorted) + ")");
  }
}
