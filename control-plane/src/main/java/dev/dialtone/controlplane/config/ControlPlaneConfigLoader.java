package dev.dialtone.controlplane.config;

import dev.dialtone.chaos.drill.DrillCatalog;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillFileReader;
import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Problem;
import dev.dialtone.config.yaml.YamlLineIndex;
import dev.dialtone.security.authz.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a replica's YAML file with the shared loader ({@link ConfigLoader}: strict binding, Bean
 * Validation, file:line:field problems), resolves {@code chaos.drills} against the file's
 * directory and validates every drill file there against the replica's regions and dependencies.
 */
public final class ControlPlaneConfigLoader {
  private final ConfigLoader<ControlPlaneConfig> loader;

  /** Secret references ({@code env:NAME}) are looked up in the process environment. */
  public ControlPlaneConfigLoader() {
    this(System.getenv());
  }

  /** {@code environment} is where {@code env:NAME} secret references are looked up. */
  public ControlPlaneConfigLoader(Map<String, String> environment) {
    this.loader = ConfigLoader.of(ControlPlaneConfig.class, environment);
  }

  /** Reads and validates {@code file}; {@code chaos.drills} is relative to the file's directory. */
  public ControlPlaneConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw ConfigException.of(file.toString(), "", "cannot read the file (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(file.toString(), text, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  /** Parses and validates {@code text}; {@code chaos.drills} is relative to the working directory. */
  public ControlPlaneConfig parse(String name, String text) {
    return parse(name, text, Path.of("").toAbsolutePath());
  }

  /** Parses and validates {@code text}; {@code name} appears in problems; {@code chaos.drills} is relative to {@code base}. */
  public ControlPlaneConfig parse(String name, String text, Path base) {
    ControlPlaneConfig c = loader.parse(name, text);
    if (c.chaos() != null) {
      c = c.withChaos(c.chaos().resolvedAgainst(base));
      List<Problem> problems = new ArrayList<>();
      try {
        drills(name, c, YamlLineIndex.of(text).lineOf("chaos.drills"));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
    }
    return c;
  }

  /**
   * Every drill of the configured directory, validated against the replica's regions and
   * dependencies: a broken drill file is a problem naming the drill file, its line and field.
   */
  public static List<DrillDefinition> drills(String file, ControlPlaneConfig config) {
    return drills(file, config, 1).stream().map(DrillCatalog.DrillFile::drill).toList();
  }

  /** The configured directory's drill files with their text: the seeds of the deployment's drill set. */
  public static List<DrillCatalog.DrillFile> drillFiles(String file, ControlPlaneConfig config) {
    return drills(file, config, 1);
  }

  private static List<DrillCatalog.DrillFile> drills(String file, ControlPlaneConfig config, int line) {
    Path dir = Path.of(config.chaos().drills());
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(List.of(new Problem(file, line, "chaos.drills", "no such directory: " + dir)));
    }
    try {
      return new DrillCatalog(new DrillFileReader(config.drillScope())).files(dir);
    } catch (IOException e) {
      throw new ConfigException(List.of(new Problem(file, line, "chaos.drills", "cannot read " + dir + " (" + e.getMessage() + ")")));
    }
  }

  /** The configured access rules in the authorization library's terms. */
  public static Credentials credentials(ControlPlaneConfig c) {
    return new Credentials(c.deployment(), c.security().access().certificates(),
        c.security().access().tokens().stream()
            .map(t -> new Credentials.TokenBinding(t.name(), t.role(), t.sha256())).toList());
  }
}
