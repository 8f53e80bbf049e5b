package dev.dialtone.peers.sipp;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.netns.NetworkNamespace;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
import java.util.Optional;

/**
 * A real SIPp user agent server on a free loopback port: answers {@code OPTIONS} and {@code INVITE}
 * arriving in any order for any number of calls, and can be switched to answer {@code 503} or
 * nothing at all (the process stays up). Counts come from SIPp's own message trace. {@link
 * #inNamespace} runs it inside a {@link NetworkNamespace} instead, bound to the namespace's address,
 * so packet filters there can break its UDP path.
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
  private final NetworkNamespace namespace; // null: on the host's loopback
  private final String bindAddress;
  private final List<Path> traces = new ArrayList<>();
  private volatile Mode mode = Mode.OK;
  private PeerProcess process;

  /** A UDP UAS. */
  public SippUas(Path workDir) {
    this(workDir, Transport.UDP);
  }

  public SippUas(Path workDir, Transport transport) {
    this(workDir, transport, null);
  }

  private SippUas(Path workDir, Transport transport, NetworkNamespace namespace) {
    this.workDir = workDir;
    this.transport = transport;
    this.port = FreePorts.tcpAndUdp();
    this.namespace = namespace;
    this.bindAddress = namespace == null ? "127.0.0.1" : namespace.address();
  }

  /** A UDP UAS inside {@code namespace}, bound to {@link NetworkNamespace#address()}. */
  public static SippUas inNamespace(Path workDir, NetworkNamespace namespace) {
    return inNamespace(workDir, Transport.UDP, namespace);
  }

  /** A UAS inside {@code namespace}, bound to {@link NetworkNamespace#address()}. */
  public static SippUas inNamespace(Path workDir, Transport transport, NetworkNamespace namespace) {
    if (namespace == null) {
      throw new IllegalArgumentException("namespace must not be null (use new SippUas(workDir) for loopback)");
    }
    return new SippUas(workDir, transport, namespace);
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

  /** Where SIPp listens: {@code 127.0.0.1}, or the namespace's address. */
  public String host() {
    return bindAddress;
  }

  /** The namespace SIPp runs in, if any. */
  public Optional<NetworkNamespace> namespace() {
    return Optional.ofNullable(namespace);
  }

  /** E.g. {@code sip:uas@127.0.0.1:5080;transport=udp} (the namespace's address inside one). */
  public String sipUri() {
    return "sip:uas@" + bindAddress + ":" + port + ";transport=" + transport.name().toLowerCase(Locale.ROOT);
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
    List<String> command =
        List.of(sipp.toString(), "-sf", scenario.toString(),
                "-i", bindAddress, "-p", Integer.toString(port),
                "-t", transport == Transport.UDP ? "u1" : "t1",
                "-nostdin",
                "-trace_shortmsg", "-shortmessage_file", trace.toString(),
                "-trace_err", "-error_file", workDir.resolve("uas-errors.log").toString());
    process =
        PeerProcess.start(
            name(),
            namespace == null ? command : namespace.exec(command),
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
      case OK -> SipOptionsPing.status(bindAddress, port, transport, Duration.ofMillis(300)) == 200;
      case SERVICE_UNAVAILABLE -> SipOptionsPing.status(bindAddress, port, transport, Duration.ofMillis(300)) == 503;
      case SILENT -> true;
    };
  }

  // Reads the kernel's socket table rather than probing, so a SILENT UAS is not disturbed; inside a
  // namespace, that namespace's table (/proc/net is per network namespace of the reader).
  private boolean listening() throws IOException {
    String table = transport == Transport.UDP ? "/proc/net/udp" : "/proc/net/tcp";
    String local = procAddress(bindAddress) + ":" + HexFormat.of().withUpperCase().toHexDigits((short) port);
    List<String> lines =
        namespace == null ? Files.readAllLines(Path.of(table)) : namespace.read(Path.of(table)).lines().toList();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3 && f[1].equals(local) && (transport == Transport.UDP || f[3].equals("0A"))) {
        return true;
      }
    }
    return false;
  }

  // /proc/net shows an IPv4 address as the hex of its bytes in host (little-endian) order.
  private static String procAddress(String ipv4) throws IOException {
    byte[] b = InetAddress.getByName(ipv4).getAddress();
    return HexFormat.of().withUpperCase().formatHex(new byte[] {b[3], b[2], b[1], b[0]});
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
