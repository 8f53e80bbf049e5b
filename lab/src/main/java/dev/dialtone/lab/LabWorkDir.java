package dev.dialtone.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The lab's work directory, wherever root can write it. PostgreSQL runs as {@code nobody} when
 * the lab runs as root, and must traverse every directory above its data: when the work directory
 * sits below one it cannot (root's home is 0700), the databases live in a scratch directory under
 * the system's temporary directory instead, linked from the work directory, and are removed with
 * the lab. Nothing above the work directory is ever changed.
 */
final class LabWorkDir {
  private LabWorkDir() {}

  /** Creates {@code work} (readable by the lab's unprivileged peers). */
  static void prepare(Path work) throws IOException {
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new IOException("lab: cannot create the work directory " + work + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", e);
    }
    if (!Files.isWritable(work)) {
      throw new IOException("lab: cannot write the work directory " + work);
    }
    Files.setPosixFilePermissions(work, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
  }

  /** Whether a user other than the owner can reach {@code dir}: every ancestor grants others search (x). */
  static boolean traversableByOthers(Path dir) throws IOException {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where a database keeps its data: {@code <work>/<relative>}, or with a {@code scratchRoot}
   * (PostgreSQL cannot reach the work directory) a directory there, linked from that path.
   */
  static Path databaseDir(Path work, Path scratchRoot, String relative) throws IOException {
    Path inWork = work.resolve(relative);
    if (scratchRoot == null) {
      return inWork;
    }
    Path scratch = scratchRoot.resolve(relative.replace('/', '-'));
    Files.createDirectories(scratch);
    Files.createDirectories(inWork.getParent());
    if (!Files.exists(inWork, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(inWork, scratch);
    }
    return scratch;
  }
}
