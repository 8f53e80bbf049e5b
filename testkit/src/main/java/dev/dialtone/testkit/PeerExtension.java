package dev.dialtone.testkit;

import dev.dialtone.peers.Peer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link Peer} once per test class in a fresh temporary directory and stops it after;
 * a failing test gets the peer's logs copied to {@code target/peer-logs/<class>/}.
 *
 * <pre>{@code
 * @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);
 * }</pre>
 */
public final class PeerExtension<P extends Peer>
    implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {
  private static final Logger log = LoggerFactory.getLogger(PeerExtension.class);

  private final Function<Path, P> factory;
  private Path workDir;
  private P peer;
  private boolean failed;

  private PeerExtension(Function<Path, P> factory) {
    this.factory = factory;
  }

  /** An extension for the peer {@code factory} makes from a working directory. */
  public static <P extends Peer> PeerExtension<P> of(Function<Path, P> factory) {
    return new PeerExtension<>(factory);
  }

  /** The running peer; valid from {@code @BeforeAll} on. */
  public P peer() {
    if (peer == null) {
      throw new IllegalStateException("peer not started: register the extension as a static field");
    }
    return peer;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    workDir = Files.createTempDirectory("dialtone-peer-");
    peer = factory.apply(workDir);
    try {
      peer.start();
    } catch (Exception | Error e) {
      keepLogs(context, "start");
      peer.close();
      throw e;
    }
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      failed = true;
      keepLogs(context, context.getRequiredTestMethod().getName());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (peer != null) {
      peer.close();
    }
    if (workDir != null && !failed) {
      deleteTree(workDir);
    }
  }

  private void keepLogs(ExtensionContext context, String label) {
    Path dir = Path.of("target", "peer-logs", context.getRequiredTestClass().getSimpleName());
    try {
      Files.createDirectories(dir);
      for (Path logFile : peer.logFiles()) {
        if (Files.exists(logFile)) {
          Path copy = dir.resolve(label + "-" + peer.name() + "-" + logFile.getFileName());
          Files.copy(logFile, copy, StandardCopyOption.REPLACE_EXISTING);
          log.warn("kept {} log for failed {}: {}", peer.name(), label, copy.toAbsolutePath());
        }
      }
    } catch (IOException e) {
      log.warn("could not keep {} logs: {}", peer.name(), e.toString());
    }
  }

  /** Deletes a directory tree, ignoring what is already gone. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
