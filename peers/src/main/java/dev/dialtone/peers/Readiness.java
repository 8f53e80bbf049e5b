package dev.dialtone.peers;


import dev.dialtone.peers.process.PeerProcess;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a started peer to answer for real, failing at once (with its log) if it exits. */
public final class Readiness {
  private Readiness() {}

  /**
   * Polls {@code check} until it returns true; exceptions it throws count as "not yet".
   *
   * @param what what is awaited, e.g. {@code "redis PING on 127.0.0.1:6379"}
   */
  public static void await(PeerProcess process, String what, Duration timeout, Callable<Boolean> check) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      if (process != null && !process.isAlive()) {
        throw new PeerExitedException(process.name() + " exited while waiting for " + what
            + "; log " + process.logFile() + ":\n" + process.logTail(30));
      }
      try {
        if (check.call()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      } catch (Exception e) {
        last = e; // not yet: the peer is still coming up
      }
      if (System.nanoTime() - deadline > 0) {
        String tail = process == null ? "" : "; log " + process.logFile() + ":\n" + process.logTail(30);
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what
            + (last == null ? "" : " (last: " + last + ")") + tail, last);
      }
      try {
        Thread.sleep(50); // a bounded poll of a real process coming up
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  /** The peer process exited before it became ready. */
  public static final class PeerExitedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PeerExitedException(String message) {
      super(message);
    }
  }

}
