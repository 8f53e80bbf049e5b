package dev.dialtone.peers.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the peer programs the test kit starts, and says which package provides a missing one. */
public final class Binaries {
  private Binaries() {}

  /**
   * Returns the path of {@code name}, searched on PATH, then in {@code extraDirs} (e.g. Go's bin).
   *
   * @param provider how to get it, e.g. {@code "the Debian package bind9"}
   * @throws MissingPeerException naming the program and its provider
   */
  public static Path require(String name, String provider, Path... extraDirs) {
    List<Path> dirs = new ArrayList<>();
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    dirs.addAll(List.of(extraDirs));
    dirs.add(Path.of("/usr/sbin"));
    dirs.add(Path.of("/sbin"));
    for (Path dir : dirs) {
      Path candidate = dir.resolve(name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new MissingPeerException(
        name + " not found on PATH: install " + provider + " (scripts/install-prereqs does it)");
  }

  /** Go's install directory: $GOBIN, else $GOPATH/bin, else ~/go/bin. */
  public static Path goBin() {
    String gobin = System.getenv("GOBIN");
    if (gobin != null && !gobin.isBlank()) {
      return Path.of(gobin);
    }
    String gopath = System.getenv("GOPATH");
    if (gopath != null && !gopath.isBlank()) {
      return Path.of(gopath.split(java.io.File.pathSeparator)[0], "bin");
    }
    return Path.of(System.getProperty("user.home"), "go", "bin");
  }

  /** A peer program is not installed. */
  public static final class MissingPeerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public MissingPeerException(String message) {
      super(message);
    }
  }
}
