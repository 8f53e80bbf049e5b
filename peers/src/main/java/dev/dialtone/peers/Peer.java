package dev.dialtone.peers;

import java.nio.file.Path;
import java.util.List;

/**
 * A real peer (a server program) on loopback: started ready, stoppable and restartable on the
 * same port so tests can take it away and bring it back. Usable from JUnit through
 * {@link PeerExtension} and from the lab as a plain object.
 */
public interface Peer extends AutoCloseable {

  /** A short name for logs, e.g. {@code redis}. */
  String name();

  /** Starts the peer and returns once it answers for real (a PING, a DNS answer, {@code SELECT 1}). */
  void start() throws Exception;

  /** Stops the peer; {@link #start()} brings it back on the same port. Idempotent. */
  void stop();

  /** The peer's log files, kept when a test fails. */
  List<Path> logFiles();

  /** Stops the peer for good. */
  @Override
  void close();
}
