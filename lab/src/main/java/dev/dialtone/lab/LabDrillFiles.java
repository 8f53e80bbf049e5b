package dev.dialtone.lab;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The drills directory the lab's replicas load: the drills bundled with Dialtone ({@code
 * chaos/drills}, shipped on the classpath under {@code drills/}) plus any the caller adds.
 */
final class LabDrillFiles {
  private LabDrillFiles() {}

  static Path write(Path dir, Map<String, String> extra) throws IOException {
    Files.createDirectories(dir);
    URL bundled = LabDrillFiles.class.getResource("/drills/llm-timeout.yaml");
    if (bundled == null) {
      throw new IOException("the bundled drills are missing from the classpath (drills/llm-timeout.yaml)");
    }
    try {
      URI uri = bundled.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          copyAll(jar.getPath("/drills"), dir);
        }
      } else {
        copyAll(Path.of(uri).getParent(), dir);
      }
    } catch (URISyntaxException e) {
      throw new IOException("cannot read the bundled drills at " + bundled, e);
    }
    for (Map.Entry<String, String> e : extra.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    return dir;
  }

  private static void copyAll(Path from, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(from)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList();
    }
    for (Path f : files) {
      Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
