package dev.dialtone.peers.netns;

import dev.dialtone.peers.process.Binaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway Linux network namespace joined to the host by a veth pair on a /30 of
 * {@code 10.231.0.0/16}, with an nftables table {@code inet dialtone} inside it: the lever that
 * breaks UDP (and TCP) paths Toxiproxy cannot, by dropping or rejecting packets to a port. Needs
 * root, {@code ip} (iproute2) and {@code nft} (nftables). Named {@code dt-<pid>-<n>} so that {@link
 * #sweepLeftovers()} can tell the namespaces of dead JVMs from those of live ones.
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkNamespace.class);

  /** The transport a rule matches. */
  public enum Protocol {
    UDP,
    TCP;

    String nft() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String PREFIX = "dt-";
  private static final Pattern OURS = Pattern.compile("dt-(\\d+)-([0-9a-z]+)");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,128}"); // nft comments hold 128 bytes
  private static final Pattern HANDLE = Pattern.compile("comment \"([^\"]*)\".*# handle (\\d+)");
  private static final int BLOCKS = 1 << 14; // /30 blocks in 10.231.0.0/16
  private static final String TABLE = "dialtone";
  private static final String CHAIN = "input";
  private static final AtomicInteger sequence = new AtomicInteger();

  private final Path ip;
  private final Path nft;
  private final String name;
  private final String hostInterface;
  private final String interfaceName;
  private final String hostAddress;
  private final String address;
  private Boolean netem;
  private boolean closed;
  private final boolean owned;

  private NetworkNamespace(Path ip, Path nft, String name, String suffix, int block) {
    this(ip, nft, name, suffix, block, true);
  }

  private NetworkNamespace(Path ip, Path nft, String name, String suffix, int block, boolean owned) {
    this.owned = owned;
    this.ip = ip;
    this.nft = nft;
    this.name = name;
    this.hostInterface = "dt" + suffix + "h";
    this.interfaceName = "dt" + suffix + "n";
    int base = block * 4;
    this.hostAddress = "10.231." + (base >> 8) + "." + ((base & 0xff) + 1);
    this.address = "10.231." + (base >> 8) + "." + ((base & 0xff) + 2);
  }

  /**
   * Creates a namespace with its veth pair, addresses, {@code lo} up and an empty {@code inet
   * dialtone} table.
   *
   * @throws Binaries.MissingPeerException naming what is missing (root, {@code ip}, {@code nft})
   */
  public static NetworkNamespace create() {
    Tools tools = Tools.require();
    long pid = ProcessHandle.current().pid();
    for (int attempt = 0; attempt < 100; attempt++) {
      String suffix = pid + "-" + Integer.toString(sequence.incrementAndGet(), 36);
      String name = PREFIX + suffix;
      if (namespaces(tools.ip).contains(name)) {
        continue; // a namespace of an earlier JVM with the same pid
      }
      int block = freeBlock(tools.ip, (int) Math.floorMod(pid * 31 + sequence.get(), (long) BLOCKS));
      NetworkNamespace ns = new NetworkNamespace(tools.ip, tools.nft, name, suffix, block);
      try {
        ns.setUp();
        return ns;
      } catch (RuntimeException e) {
        ns.close();
        throw e;
      }
    }
    throw new IllegalStateException("no free namespace name " + PREFIX + pid + "-<n> after 100 attempts");
  }

  /**
   * An existing namespace made by another process (the lab), for adding and removing its packet
   * filter rules only: closing it deletes nothing.
   */
  public static NetworkNamespace existing(String name) {
    Tools tools = Tools.require();
    if (!namespaces(tools.ip).contains(name)) {
      throw new IllegalArgumentException("no network namespace " + name + " (have: " + namespaces(tools.ip) + ")");
    }
    return new NetworkNamespace(tools.ip, tools.nft, name, name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name,
        0, false);
  }

  private void setUp() {
    run(List.of(ip.toString(), "netns", "add", name));
    run(List.of(ip.toString(), "link", "add", hostInterface, "type", "veth", "peer", "name", interfaceName, "netns", name));
    run(List.of(ip.toString(), "addr", "add", hostAddress + "/30", "dev", hostInterface));
    run(List.of(ip.toString(), "link", "set", hostInterface, "up"));
    run(List.of(ip.toString(), "-n", name, "addr", "add", address + "/30", "dev", interfaceName));
    run(List.of(ip.toString(), "-n", name, "link", "set", interfaceName, "up"));
    run(List.of(ip.toString(), "-n", name, "link", "set", "lo", "up"));
    // Lets processes inside reach the host's other addresses through the host end.
    run(List.of(ip.toString(), "-n", name, "route", "add", "default", "via", hostAddress));
    run(exec(List.of(nft.toString(), "add", "table", "inet", TABLE)));
    run(exec(List.of(nft.toString(), "add", "chain", "inet", TABLE, CHAIN,
        "{ type filter hook input priority 0; policy accept; }")));
    log.info("[netns={}] created: host {} {} <-> {} {}", name, hostInterface, hostAddress, interfaceName, address);
  }

  /** E.g. {@code dt-4242-1}. */
  public String name() {
    return name;
  }

  /** The namespace's address on the veth pair, where servers inside bind. */
  public String address() {
    return address;
  }

  /** The host's address on the veth pair, from which the host reaches {@link #address()}. */
  public String hostAddress() {
    return hostAddress;
  }

  /** The host end of the veth pair. */
  public String hostInterface() {
    return hostInterface;
  }

  /** The namespace end of the veth pair. */
  public String interfaceName() {
    return interfaceName;
  }

  /** {@code command} prefixed to run inside the namespace: {@code ip netns exec <ns> ...}. */
  public List<String> exec(List<String> command) {
    List<String> full = new ArrayList<>(List.of(ip.toString(), "netns", "exec", name));
    full.addAll(command);
    return full;
  }

  /** A file as a process inside the namespace reads it, e.g. {@code /proc/net/udp} (per namespace). */
  public String read(Path file) {
    requireOpen();
    return run(exec(List.of("cat", file.toString())));
  }

  /** Drops every packet to {@code port} over {@code protocol} arriving in the namespace: a blackhole. */
  public void blackhole(Protocol protocol, int port) {
    blackhole(protocol, port, "dialtone");
  }

  /** {@link #blackhole(Protocol, int)} with a rule tag that {@link #heal(String)} removes alone. */
  public void blackhole(Protocol protocol, int port, String tag) {
    addRule(protocol, port, tag, List.of("drop"));
  }

  /**
   * Rejects every packet to {@code port}: TCP gets a reset (connection refused), UDP an ICMP port
   * unreachable.
   */
  public void refuse(Protocol protocol, int port) {
    refuse(protocol, port, "dialtone");
  }

  /** {@link #refuse(Protocol, int)} with a rule tag that {@link #heal(String)} removes alone. */
  public void refuse(Protocol protocol, int port, String tag) {
    addRule(protocol, port, tag, protocol == Protocol.TCP ? List.of("reject", "with", "tcp", "reset") : List.of("reject"));
  }

  private synchronized void addRule(Protocol protocol, int port, String tag, List<String> verdict) {
    requireOpen();
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535, not " + port + " (netns " + name + ")");
    }
    requireTag(tag);
    List<String> rule = new ArrayList<>(List.of(nft.toString(), "add", "rule", "inet", TABLE, CHAIN,
        protocol.nft(), "dport", Integer.toString(port), "counter"));
    rule.addAll(verdict);
    rule.addAll(List.of("comment", "\"" + tag + "\""));
    run(exec(rule));
    log.info("[netns={}] {} {} port {} [tag={}]", name, verdict.getFirst(), protocol, port, tag);
  }

  /** Removes every rule: all paths into the namespace work again. Idempotent. */
  public synchronized void heal() {
    requireOpen();
    run(exec(List.of(nft.toString(), "flush", "chain", "inet", TABLE, CHAIN)));
    log.info("[netns={}] healed: every rule removed", name);
  }

  /** Removes the rules tagged {@code tag} only; returns how many. Idempotent. */
  public synchronized int heal(String tag) {
    requireOpen();
    requireTag(tag);
    String listing = run(exec(List.of(nft.toString(), "-a", "list", "chain", "inet", TABLE, CHAIN)));
    int removed = 0;
    for (String line : listing.split("\n")) {
      Matcher m = HANDLE.matcher(line);
      if (m.find() && m.group(1).equals(tag)) {
        run(exec(List.of(nft.toString(), "delete", "rule", "inet", TABLE, CHAIN, "handle", m.group(2))));
        removed++;
      }
    }
    log.info("[netns={}] healed {} rule(s) [tag={}]", name, removed, tag);
    return removed;
  }

  /** The rules in force, as nft lists them (for failure messages). */
  public synchronized String rules() {
    requireOpen();
    return run(exec(List.of(nft.toString(), "list", "chain", "inet", TABLE, CHAIN)));
  }

  /**
   * Whether the kernel has the {@code netem} qdisc (delay, loss): probed once by adding it to the
   * namespace's {@code lo}. Without it only drops and rejects are possible.
   */
  public synchronized boolean netemAvailable() {
    requireOpen();
    if (netem == null) {
      Result added = execute(exec(List.of("tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")));
      netem = added.exitCode == 0;
      if (netem) {
        execute(exec(List.of("tc", "qdisc", "del", "dev", "lo", "root")));
      }
      log.info("[netns={}] netem qdisc {}", name, netem ? "available" : "absent (" + added.output.strip() + ")");
    }
    return netem;
  }

  /** Deletes the veth pair and the namespace, and with them every rule. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!owned) {
      return; // another process made it and deletes it
    }
    delete(ip, name, hostInterface);
    log.info("[netns={}] deleted", name);
  }

  private static void delete(Path ip, String namespace, String hostInterface) {
    // Either may be gone already (a half-created namespace, a second close); deleting is best effort.
    execute(List.of(ip.toString(), "link", "del", hostInterface));
    execute(List.of(ip.toString(), "netns", "del", namespace));
  }

  /**
   * Deletes the {@code dt-<pid>-<n>} namespaces (and their veth) whose JVM is no longer running,
   * left by runs killed before {@link #close()}; returns their names. Namespaces of live JVMs
   * (other builds on the machine) are left alone.
   */
  public static List<String> sweepLeftovers() {
    Tools tools = Tools.require();
    List<String> swept = new ArrayList<>();
    for (String ns : namespaces(tools.ip)) {
      Matcher m = OURS.matcher(ns);
      if (!m.matches()) {
        continue;
      }
      Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(m.group(1)));
      if (owner.isPresent() && owner.get().isAlive()) {
        continue;
      }
      delete(tools.ip, ns, "dt" + m.group(1) + "-" + m.group(2) + "h");
      swept.add(ns);
      log.warn("[netns={}] swept: left over by dead process {}", ns, m.group(1));
    }
    return swept;
  }

  /** The names of every namespace on the host. */
  public static List<String> namespaces() {
    return namespaces(Tools.require().ip);
  }

  private static List<String> namespaces(Path ip) {
    List<String> names = new ArrayList<>();
    for (String line : run(List.of(ip.toString(), "netns", "list")).split("\n")) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty()) {
        names.add(trimmed.split("\\s+")[0]); // "dt-1-1 (id: 3)"
      }
    }
    return names;
  }

  // The first /30 from `start` on whose addresses no host interface sits.
  private static int freeBlock(Path ip, int start) {
    String inUse = run(List.of(ip.toString(), "-o", "-4", "addr", "show"));
    for (int i = 0; i < BLOCKS; i++) {
      int block = (start + i) % BLOCKS;
      int base = block * 4;
      String host = "10.231." + (base >> 8) + "." + ((base & 0xff) + 1) + "/";
      if (!inUse.contains(" " + host)) {
        return block;
      }
    }
    throw new IllegalStateException("no free /30 left in 10.231.0.0/16 on this host");
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("network namespace " + name + " is closed");
    }
  }

  private void requireTag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "rule tag must be 1-128 letters, digits, '.', '_' or '-', not '" + tag + "' (netns " + name + ")");
    }
  }

  private record Result(int exitCode, String output) {}

  private static String run(List<String> command) {
    Result r = execute(command);
    if (r.exitCode != 0) {
      throw new IllegalStateException(
          "'" + String.join(" ", command) + "' failed (exit " + r.exitCode + "): " + r.output.strip());
    }
    return r.output;
  }

  private static Result execute(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after 10 s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run '" + String.join(" ", command) + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running '" + String.join(" ", command) + "'", e);
    }
  }

  // What namespaces need, all checked at once so the message names everything missing.
  private record Tools(Path ip, Path nft) {
    static Tools require() {
      List<String> missing = new ArrayList<>();
      Path ip = find("ip", "the Debian package iproute2", missing);
      Path nft = find("nft", "the Debian package nftables", missing);
      String uid = execute(List.of("id", "-u")).output.strip();
      if (!uid.equals("0")) {
        missing.add("root: network namespaces, veth pairs and nftables need uid 0, this JVM runs as uid " + uid);
      }
      if (!missing.isEmpty()) {
        throw new Binaries.MissingPeerException("network namespaces unavailable: " + String.join("; ", missing));
      }
      return new Tools(ip, nft);
    }

    private static Path find(String program, String provider, List<String> missing) {
      try {
        return Binaries.require(program, provider);
      } catch (Binaries.MissingPeerException e) {
        missing.add(e.getMessage());
        return null;
      }
    }
  }
}
