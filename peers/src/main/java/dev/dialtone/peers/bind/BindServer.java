package dev.dialtone.peers.bind;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real BIND 9 {@code named} in the foreground on a free loopback port (UDP and TCP), serving
 * one dynamic zone that accepts RFC 2136 updates signed with a TSIG key generated for this run.
 * Everything (config, zone, journal, pid, session key) lives in the working directory, so it
 * needs neither {@code /var/cache/bind} nor rndc; the journal survives {@link #stop()}/{@link
 * #start()}, so a restarted server still holds the updates made before.
 */
public final class BindServer implements Peer {
  /** The TSIG key's name as written in {@code named.conf} (without the trailing dot). */
  public static final String KEY_NAME = "dialtone-key";

  /** The TSIG algorithm as BIND names it. */
  public static final String ALGORITHM = "hmac-sha256";

  /** A second key named gets, which {@code allow-update} does not grant: its updates are REFUSED. */
  public static final String UNPRIVILEGED_KEY_NAME = "unprivileged-key";

  private final Path workDir;
  private final String zone;
  private final int port;
  private final String secret;
  private final String unprivilegedSecret;
  private final List<String> extraRecords;
  private PeerProcess process;

  /** A server for the zone {@code example.com.}. */
  public BindServer(Path workDir) {
    this(workDir, "example.com.");
  }

  /** A server for {@code zone} (absolute, with the trailing dot). */
  public BindServer(Path workDir, String zone) {
    this(workDir, zone, randomSecret());
  }

  /**
   * A server for {@code zone} whose {@link #KEY_NAME} has {@code secret} (base64), so another
   * server can share its key; {@code extraRecords} are zone-file lines added after the NS
   * record, e.g. a delegation {@code "example.com. IN NS ns.example.net."}.
   */
  public BindServer(Path workDir, String zone, String secret, String... extraRecords) {
    if (!zone.endsWith(".")) {
      throw new IllegalArgumentException("zone must be absolute (end with a dot): " + zone);
    }
    this.workDir = workDir;
    this.zone = zone;
    this.port = FreePorts.tcpAndUdp();
    this.secret = secret;
    this.unprivilegedSecret = randomSecret();
    this.extraRecords = List.of(extraRecords);
  }

  /** A fresh 256-bit TSIG secret, base64. */
  public static String randomSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Override
  public String name() {
    return "named";
  }

  /** The UDP and TCP port named listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** The zone served, absolute, e.g. {@code example.com.}. */
  public String zone() {
    return zone;
  }

  /** The TSIG key's name, e.g. {@code dialtone-key}. */
  public String tsigKeyName() {
    return KEY_NAME;
  }

  /** The TSIG algorithm, {@code hmac-sha256}. */
  public String tsigAlgorithm() {
    return ALGORITHM;
  }

  /** The TSIG secret, base64. */
  public String tsigSecret() {
    return secret;
  }

  /** The secret of {@link #UNPRIVILEGED_KEY_NAME} (same algorithm), base64. */
  public String unprivilegedSecret() {
    return unprivilegedSecret;
  }

  /** The key in BIND's {@code key "name" { algorithm ...; secret "..."; };} format. */
  public Path tsigKeyFile() {
    return workDir.resolve("tsig.key");
  }

  @Override
  public void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path binary = Binaries.require("named", "the Debian package bind9");
    Files.createDirectories(workDir);
    Path conf = writeConfig();
    process =
        PeerProcess.start(
            name(),
            // -g: foreground, log to stderr; -n 1: one worker (the machine is shared).
            List.of(binary.toString(), "-g", "-n", "1", "-c", conf.toString()),
            workDir,
            Map.of(),
            workDir.resolve("named.log"));
    Readiness.await(
        process, "named SOA answer for " + zone + " on 127.0.0.1:" + port, Duration.ofSeconds(30), this::answersSoa);
  }

  /** Whether named answers an SOA query for the zone with NOERROR and an SOA record. */
  public boolean answersSoa() throws IOException {
    SimpleResolver resolver = resolver();
    Message response =
        resolver.send(Message.newQuery(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN)));
    return response.getRcode() == Rcode.NOERROR
        && response.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.SOA);
  }

  /** A dnsjava resolver aimed at this server (no TSIG key). */
  public SimpleResolver resolver() {
    try {
      SimpleResolver resolver = new SimpleResolver("127.0.0.1");
      resolver.setPort(port);
      resolver.setTimeout(Duration.ofSeconds(2));
      return resolver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path writeConfig() throws IOException {
    String bareZone = zone.substring(0, zone.length() - 1);
    String keyClause = "key \"" + KEY_NAME + "\" {\n  algorithm " + ALGORITHM + ";\n  secret \"" + secret + "\";\n};\n";
    write(tsigKeyFile(), keyClause);
    Path zoneFile = workDir.resolve(bareZone + ".zone");
    if (!Files.exists(zoneFile)) {
      // Written once: on restart the journal replays the updates on top of this file.
      write(
          zoneFile,
          "$ORIGIN " + zone + "\n"
              + "$TTL 30\n"
              + "@ IN SOA ns1." + zone + " hostmaster." + zone + " 1 3600 600 86400 30\n"
              + "@ IN NS ns1." + zone + "\n"
              + "ns1 IN A 127.0.0.1\n"
              + extraRecords.stream().map(r -> r + "\n").collect(java.util.stream.Collectors.joining()));
    }
    Path conf = workDir.resolve("named.conf");
    String dir = workDir.toAbsolutePath().toString();
    write(
        conf,
        "options {\n"
            + "  directory \"" + dir + "\";\n"
            + "  pid-file \"" + dir + "/named.pid\";\n"
            + "  session-keyfile \"" + dir + "/session.key\";\n"
            + "  managed-keys-directory \"" + dir + "\";\n"
            + "  listen-on port " + port + " { 127.0.0.1; };\n"
            + "  listen-on-v6 { none; };\n"
            + "  recursion no;\n"
            + "  allow-query { 127.0.0.1; };\n"
            + "  dnssec-validation no;\n"
            + "  notify no;\n"
            + "};\n"
            // No rndc channel: otherwise every instance would try to bind 127.0.0.1:953.
            + "controls { };\n"
            + "include \"" + tsigKeyFile().toAbsolutePath() + "\";\n"
            + "key \"" + UNPRIVILEGED_KEY_NAME + "\" { algorithm " + ALGORITHM + "; secret \"" + unprivilegedSecret + "\"; };\n"
            + "zone \"" + bareZone + "\" {\n"
            + "  type primary;\n"
            + "  file \"" + zoneFile.toAbsolutePath() + "\";\n"
            + "  journal \"" + zoneFile.toAbsolutePath() + ".jnl\";\n"
            + "  allow-update { key \"" + KEY_NAME + "\"; };\n"
            // Zone transfers only to TSIG-signed peers: the zone is Dialtone's routing, not public data.
            + "  allow-transfer { key \"" + KEY_NAME + "\"; };\n"
            + "};\n");
    return conf;
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The absolute name of {@code relative} (e.g. {@code voice}) in this zone. */
  public Name absolute(String relative) throws TextParseException {
    return Name.fromString(relative, Name.fromString(zone));
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(5));
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of(workDir.resolve("named.log"));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
