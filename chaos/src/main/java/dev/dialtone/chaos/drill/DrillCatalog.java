package dev.dialtone.chaos.drill;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.Problem;
import dev.dialtone.config.yaml.YamlLineIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every drill of a directory ({@code *.yaml}, {@code *.yml}, by file name), read all at once so an
 * operator sees every problem of every file, and drill names unique across files (they key the
 * schedule's claims and the reports).
 */
public final class DrillCatalog {
  private final DrillFileReader reader;

  public DrillCatalog(DrillFileReader reader) {
    this.reader = reader;
  }

  public List<DrillDefinition> read(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files =
          listing
              .filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    List<DrillDefinition> drills = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, Path> owners = new HashMap<>();
    for (Path file : files) {
      try {
        DrillDefinition drill = reader.read(file);
        Path owner = owners.putIfAbsent(drill.name(), file);
        if (owner != null) {
          problems.add(new Problem(file.toString(), YamlLineIndex.of(Files.readString(file)).lineOf("name"), "name",
              "drill name '" + drill.name() + "' is already used by " + owner));
        } else {
          drills.add(drill);
        }
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return List.copyOf(drills);
  }
}
