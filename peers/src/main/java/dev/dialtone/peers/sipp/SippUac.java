package dev.dialtone.peers.sipp;

import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Places calls with SIPp as a UAC (INVITE, ACK, BYE) and reports how they ended. */
public final class SippUac {
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Path workDir;
  private final SippUas.Transport transport;
  private final String user;
  private final String requestUri;

  public SippUac(Path workDir) {
    this(workDir, SippUas.Transport.UDP);
  }

  public SippUac(Path workDir, SippUas.Transport transport) {
    this(workDir, transport, "service", null);
  }

  private SippUac(Path workDir, SippUas.Transport transport, String user, String requestUri) {
    this.workDir = workDir;
    this.transport = transport;
    this.user = user;
    this.requestUri = requestUri;
  }

  /** A UAC calling {@code user} at the proxy (the Request-URI's user part, e.g. a DID {@code +15551230000}). */
  public SippUac calling(String user) {
    return new SippUac(workDir, transport, user, null);
  }

  /**
   * A UAC placing outbound calls through the proxy to {@code requestUri} (e.g. a carrier's
   * {@code sip:+15551230000@127.0.0.1:5090}): sent to the proxy, addressed beyond it.
   */
  public SippUac dialing(String requestUri) {
    return new SippUac(workDir, transport, user, requestUri);
  }

  /** How a batch of calls ended. */
  public record Result(long placed, long answered, List<Instant> answeredAt) {
    /** Calls placed that never got a 200. */
    public long failed() {
      return placed - answered;
    }
  }

  /** Places {@code calls} calls to {@code 127.0.0.1:port} at {@code perSecond} and waits for them. */
  public Result call(int port, int calls, int perSecond, Duration timeout) {
    try (Calls running = start(port, calls, perSecond)) {
      return running.await(timeout);
    }
  }

  /** Starts placing {@code calls} calls in the background; {@link Calls#await} collects them. */
  public Calls start(int port, int calls, int perSecond) {
    if (calls <= 0 || perSecond <= 0) {
      throw new IllegalArgumentException("calls and perSecond must be positive");
    }
    Path sipp = Binaries.require("sipp", "the Debian package sip-tester");
    int run = RUNS.incrementAndGet();
    Path trace = workDir.resolve("uac-run" + run + "-messages.log");
    Path scenario = workDir.resolve("uac.xml");
    try {
      Files.createDirectories(workDir);
      Files.writeString(scenario, SippScenarios.uac(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write SIPp scenario " + scenario, e);
    }
    PeerProcess process =
        PeerProcess.start(
            "sipp-uac-" + run,
            List.of(sipp.toString(), "-sf", scenario.toString(), "127.0.0.1:" + port,
                "-i", "127.0.0.1", "-p", Integer.toString(FreePorts.tcpAndUdp()),
                "-t", transport == SippUas.Transport.UDP ? "u1" : "t1",
                "-s", user,
                "-key", "ruri", requestUri != null ? requestUri : "sip:" + user + "@127.0.0.1:" + port,
                "-m", Integer.toString(calls), "-r", Integer.toString(perSecond), "-rp", "1000",
                "-recv_timeout", "10000", "-nostdin",
                "-trace_shortmsg", "-shortmessage_file", trace.toString()),
            workDir,
            Map.of(),
            workDir.resolve("sipp-uac-" + run + ".log"));
    return new Calls(process, trace);
  }

  /** Calls being placed by one SIPp UAC process. */
  public static final class Calls implements AutoCloseable {
    private final PeerProcess process;
    private final Path trace;

    private Calls(PeerProcess process, Path trace) {
      this.process = process;
      this.trace = trace;
    }

    /** The calls so far: INVITEs sent and 200s received. */
    public Result soFar() {
      List<SippMessageLog.Message> messages = SippMessageLog.read(trace);
      var answered = SippMessageLog.firstPerCall(messages, false, "INVITE", 200);
      long placed = SippMessageLog.firstPerCall(messages, true, "INVITE", 0).size();
      return new Result(placed, answered.size(), List.copyOf(answered.values()));
    }

    /**
     * When each failed call failed, in order: the time of its final non-2xx answer, or
     * {@code answerTimeout} after its INVITE when nothing answered it by {@code now}.
     */
    public List<Instant> failedAt(Instant now, Duration answerTimeout) {
      List<SippMessageLog.Message> messages = SippMessageLog.read(trace);
      var invites = SippMessageLog.firstPerCall(messages, true, "INVITE", 0);
      var answered = SippMessageLog.firstPerCall(messages, false, "INVITE", 200);
      Map<String, Instant> refused = new HashMap<>();
      for (SippMessageLog.Message m : messages) {
        if (!m.sent() && m.cseqMethod().equals("INVITE") && m.status() >= 300) {
          refused.putIfAbsent(m.callId(), m.at());
        }
      }
      List<Instant> failed = new ArrayList<>();
      invites.forEach((callId, sentAt) -> {
        if (refused.containsKey(callId)) {
          failed.add(refused.get(callId));
        } else if (!answered.containsKey(callId) && sentAt.plus(answerTimeout).isBefore(now)) {
          failed.add(sentAt.plus(answerTimeout));
        }
      });
      failed.sort(null);
      return failed;
    }

    /** True while SIPp is still placing or finishing calls. */
    public boolean running() {
      return process.isAlive();
    }

    /** Waits for SIPp to finish every call, then reports them. */
    public Result await(Duration timeout) {
      try {
        if (!process.awaitExit(timeout)) {
          throw new IllegalStateException("SIPp UAC " + process.name() + " did not finish within " + timeout + "; log "
              + process.logFile());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for SIPp UAC " + process.name(), e);
      }
      return soFar();
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
