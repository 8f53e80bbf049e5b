package dev.dialtone.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the lab's configuration as the YAML files a real deployment would have (one per agent,
 * one per replica, one for DNS), so the processes load them through their own validating loaders
 * and an SRE can read them under {@code <work>/config}.
 */
final class LabConfigFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private final Path dir;

  LabConfigFiles(Path dir) {
    this.dir = dir;
  }

  Path write(String name, Map<String, Object> tree) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.writeString(file, "# Written by `dialtone lab`; loaded through the same loader a deployment uses.\n"
        + YAML.writeValueAsString(tree));
    return file;
  }

  static String duration(Duration d) {
    return d.toMillis() + "ms";
  }

  /** An ordered map from alternating keys and values, skipping null values. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  /** Each region's edge as the control plane and the DNS updater declare it. */
  static List<Map<String, Object>> regions(List<LabRegion> regions) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < regions.size(); i++) {
      LabRegion r = regions.get(i);
      out.add(map("id", r.id(), "priority", i + 1,
          "edge", map("a", List.of(r.publicAddress()), "sip", r.edge().sipUri())));
    }
    return out;
  }
}
