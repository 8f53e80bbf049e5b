package dev.dialtone.testkit;


import dev.dialtone.testkit.process.PeerProcess;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for a started peer to answer for real, failing at once (with its log) if it exits. */
public final class Readiness {
  private Readiness() {}

  /**
   * Polls {@code check} until it returns true; exceptions it throws count as "not yet".
   *
   * @param what what is awaited, e.g. {@code "redis PING on 127.0.0.1:6379"}
   */
  public static void await(PeerProcess process, String what, Duration timeout, Callable<Boolean> check) {
    try {
      org.awaitility.Awaitility.await(what)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptionsMatching(e -> !(e instanceof PeerExitedException))
          .until(
              () -> {
                if (process != null && !process.isAlive()) {
                  throw new PeerExitedException(process.name() + " exited while waiting for " + what
                      + "; log " + process.logFile() + ":\n" + process.logTail(30));
                }
                return check.call();
              });
    } catch (PeerExitedException e) {
      throw e;
    } catch (ConditionTimeoutException e) {
      String tail = process == null ? "" : "; log " + process.logFile() + ":\n" + process.logTail(30);
      throw new IllegalStateException("timed out after " + timeout + " waiting for " + what + tail, e);
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
