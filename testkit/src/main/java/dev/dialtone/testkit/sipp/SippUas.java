package dev.dialtone.testkit.sipp;

import dev.dialtone.testkit.Peer;
import dev.dialtone.testkit.Readiness;
import dev.dialtone.testkit.process.Binaries;
import dev.dialtone.testkit.process.FreePorts;
import dev.dialtone.testkit.process.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A real SIPp user agent server on a free loopback port: answers {@code OPTIONS} and {@code INVITE}
 * arriving in any order for any number of calls, and can be switched to answer {@code 503} or
 * nothing at all (the process stays up). Counts come from SIPp's own message trace.
 */
public final class SippUas implements Peer {
  /** The SIP transport the UAS listens on. */
  public enum Transport { UDP, TCP }

  /** How the UAS answers. */
  public enum Mode {
    /** {@code OPTIONS} → 200; {@code INVITE} → 100, 180, 200, then ACK and BYE. */
    OK,
    /** {@code OPTIONS} and {@code INVITE} → 503. */
    SERVICE_UNAVAILABLE,
    /** Receives everything, answers nothing. */
    SILENT
  }

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final Path workDir;
  private final Transport transport;
  private final int port;
  private final List<Path> traces = new ArrayList<>();
  private volatile Mode mode = Mode.OK;
  private PeerProcess process;

  /** A UDP UAS. */
  public SippUas(Path workDir) {
    this(workDir, Transport.UDP);
  }

  public SippUas(Path workDir, Transport transport) {
    this.workDir = workDir;
    this.transport = transport;
    this.port = FreePorts.tcpAndUdp();
  }

  @Override
  public String name() {
    return "sipp-uas-" + port;
  }

  public int port() {
    return port;
  }

  public Transport transport() {
    return transport;
  }

  /** E.g. {@code sip:uas@127.0.0.1:5080;transport=udp}. */
  public String sipUri() {
    return "sip:uas@127.0.0.1:" + port + ";transport=" + transport.name().toLowerCase(Locale.ROOT);
  }

  public Mode mode() {
    return mode;
  }

  /** Switches how the UAS answers, restarting SIPp on the same port with the mode's scenario. */
  public synchronized void setMode(Mode newMode) {
    if (newMode == mode) {
      return;
    }
    mode = newMode;
    if (process != null && process.isAlive()) {
      stop();
      start();
    }
  }

  @Override
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path sipp = Binaries.require("sipp", "the Debian package sip-tester");
    Path scenario = workDir.resolve("uas-" + mode.name().toLowerCase(Locale.ROOT) + ".xml");
    Path trace = workDir.resolve("uas-run" + (traces.size() + 1) + "-messages.log");
    try {
      Files.createDirectories(workDir);
      Files.writeString(scenario, SippScenarios.uas(mode), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write SIPp scenario " + scenario, e);
    }
    traces.add(trace);
    process =
        PeerProcess.start(
            name(),
            List.of(sipp.toString(), "-sf", scenario.toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(port),
                "-t", transport == Transport.UDP ? "u1" : "t1",
                "-nostdin",
                "-trace_shortmsg", "-shortmessage_file", trace.toString(),
                "-trace_err", "-error_file", workDir.resolve("uas-errors.log").toString()),
            workDir,
            Map.of(),
            logFile());
    Readiness.await(process, "SIPp UAS (" + mode + ") on " + sipUri(), READY_TIMEOUT, this::answersAsConfigured);
  }

  // A bound socket for every mode; in OK and 503 modes also a real OPTIONS answered accordingly.
  private boolean answersAsConfigured() throws IOException {
    if (!listening()) {
      return false;
    }
    return switch (mode) {
      case OK -> SipOptionsPing.status(port, transport, Duration.ofMillis(300)) == 200;
      case SERVICE_UNAVAILABLE -> SipOptionsPing.status(port, transport, Duration.ofMillis(300)) == 503;
      case SILENT -> true;
    };
  }

  // Reads the kernel's socket table rather than probing, so a SILENT UAS is not disturbed.
  private boolean listening() throws IOException {
    String table = transport == Transport.UDP ? "/proc/net/udp" : "/proc/net/tcp";
    String local = "0100007F:" + HexFormat.of().withUpperCase().toHexDigits((short) port);
    for (String line : Files.readAllLines(Path.of(table))) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3 && f[1].equals(local) && (transport == Transport.UDP || f[3].equals("0A"))) {
        return true;
      }
    }
    return false;
  }

  /** INVITEs answered with 200 since the first start (distinct calls, across mode switches). */
  public long answeredCalls() {
    return answeredAt().size();
  }

  /** When each INVITE answered with 200 was answered, in order (SIPp's wall clock). */
  public synchronized List<Instant> answeredAt() {
    List<Instant> times = new ArrayList<>();
    for (Path trace : traces) {
      times.addAll(SippMessageLog.firstPerCall(SippMessageLog.read(trace), true, "INVITE", 200).values());
    }
    return times;
  }

  /** Distinct INVITEs received since the first start, whatever the answer. */
  public synchronized long invitesReceived() {
    long count = 0;
    for (Path trace : traces) {
      count += SippMessageLog.firstPerCall(SippMessageLog.read(trace), false, "INVITE", 0).size();
    }
    return count;
  }

  /** OPTIONS answered with 200 since the first start, readiness checks included. */
  public synchronized long optionsAnswered() {
    long count = 0;
    for (Path trace : traces) {
      count += SippMessageLog.firstPerCall(SippMessageLog.read(trace), true, "OPTIONS", 200).size();
    }
    return count;
  }

  @Override
  public synchronized void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(2));
    }
  }

  private Path logFile() {
    return workDir.resolve("sipp-uas-" + port + ".log");
  }

  @Override
  public List<Path> logFiles() {
    List<Path> files = new ArrayList<>(List.of(logFile(), workDir.resolve("uas-errors.log")));
    files.addAll(traces);
    return files;
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.close();
    }
  }
}
