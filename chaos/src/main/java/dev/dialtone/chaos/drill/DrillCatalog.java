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

  /** A drill file with its text, as read. */
  public record DrillFile(Path file, String text, DrillDefinition drill) {}

  /** The drills of {@code directory}, validated. */
  public List<DrillDefinition> read(Path directory) throws IOException {
    return files(directory).stream().map(DrillFile::drill).toList();
  }

  /**
   * The drill files of {@code directory} with their text, validated.
   *
   * @throws ConfigException with every problem of every file
   */
  public List<DrillFile> files(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files =
          listing
              .filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    List<DrillFile> drills = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, Path> owners = new HashMap<>();
    for (Path file : files) {
      try {
        String text = Files.readString(file);
        DrillDefinition drill = reader.read(file.toString(), text);
        Path owner = owners.putIfAbsent(drill.name(), file);
        if (owner != null) {
          problems.add(new Problem(file.toString(), YamlLineIndex.of(text).lineOf("name"), "name",
              "drill name '" + drill.name() + "' is already used by " + owner));
        } else {
          drills.add(new DrillFile(file, text, drill));
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
