package dev.dialtone.lab;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults of the lab's real processes and links, the same levers for tests, drills and the
 * operator's {@code dialtone lab fault}: {@code kill -9}, {@code SIGSTOP}/{@code SIGCONT}, and a
 * replica cut off from ZooKeeper or from the agents (a blackhole on the Toxiproxy proxies in
 * front of those links, both directions, existing connections included).
 */
public final class LabFaults {
  private static final Logger log = LoggerFactory.getLogger(LabFaults.class);
  private static final String CUT = "dialtone-cut";

  private final ToxiproxyClient toxiproxy;
  private volatile LabState state;
  private final Set<Long> stopped = ConcurrentHashMap.newKeySet();

  /** The levers of a held lab, from its {@code lab.json} (for {@code dialtone lab fault}). */
  public LabFaults(LabState state) {
    this.toxiproxy = new ToxiproxyClient("127.0.0.1", state.toxiproxyApiPort());
    this.state = state;
  }

  /** Follows a process the lab started again (a new pid). */
  void update(LabState newState) {
    this.state = newState;
  }

  /** SIGKILL: the process dies at once, no shutdown hook, no clean session close. */
  public void kill(String name) {
    ProcessHandle p = handle(name);
    log.warn("[lab] FAULT kill -9 {} (pid {})", name, p.pid());
    p.destroyForcibly();
  }

  /** SIGSTOP: the process freezes with its sockets open (a long GC pause, a hung host). */
  public void stop(String name) {
    ProcessHandle p = handle(name);
    log.warn("[lab] FAULT SIGSTOP {} (pid {})", name, p.pid());
    signal(p.pid(), "STOP");
    stopped.add(p.pid());
  }

  /** SIGCONT: a stopped process wakes up where it was. */
  public void cont(String name) {
    ProcessHandle p = handle(name);
    log.warn("[lab] FAULT SIGCONT {} (pid {})", name, p.pid());
    signal(p.pid(), "CONT");
    stopped.remove(p.pid());
  }

  /** Whether this lever stopped {@code name} (SIGSTOP) and has not continued it. */
  public boolean isStopped(String name) {
    long pid = state.entry(name).pid();
    return stopped.contains(pid);
  }

  /**
   * Wakes every process this lever stopped: before teardown (a stopped process cannot hear
   * SIGTERM), and after a drill or test that ended early, so the next one starts from a live system.
   */
  public void continueEveryone() {
    for (Long pid : List.copyOf(stopped)) {
      signal(pid, "CONT");
    }
    stopped.clear();
  }

  /** Cuts replica {@code name} off from every ZooKeeper server. */
  public void cutFromZooKeeper(String name) {
    LabState.Entry e = state.entry(name);
    require(!e.zookeeperProxies().isEmpty(), name + " has no ZooKeeper link (only replicas do)");
    log.warn("[lab] FAULT cut {} off from ZooKeeper", name);
    e.zookeeperProxies().forEach(this::blackhole);
  }

  /** Cuts replica {@code name} off from every region agent (their reports stop arriving). */
  public void cutFromAgents(String name) {
    LabState.Entry e = state.entry(name);
    require(!e.agentProxy().isEmpty(), name + " has no agent link (only replicas do)");
    log.warn("[lab] FAULT cut {} off from the agents", name);
    blackhole(e.agentProxy());
  }

  /** Heals every cut of {@code name}. */
  public void heal(String name) {
    LabState.Entry e = state.entry(name);
    List<String> proxies = new ArrayList<>(e.zookeeperProxies());
    if (!e.agentProxy().isEmpty()) {
      proxies.add(e.agentProxy());
    }
    log.warn("[lab] FAULT heal {} ({})", name, proxies);
    proxies.forEach(this::unblock);
  }

  private void blackhole(String proxyName) {
    try {
      Proxy p = toxiproxy.getProxy(proxyName);
      p.toxics().timeout(CUT + "-down", ToxicDirection.DOWNSTREAM, 0);
      p.toxics().timeout(CUT + "-up", ToxicDirection.UPSTREAM, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not cut proxy " + proxyName + " (Toxiproxy on " + state.toxiproxyApiPort() + ")", e);
    }
  }

  private void unblock(String proxyName) {
    try {
      Proxy p = toxiproxy.getProxy(proxyName);
      for (var toxic : p.toxics().getAll()) {
        if (toxic.getName().startsWith(CUT)) {
          toxic.remove();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not heal proxy " + proxyName + " (Toxiproxy on " + state.toxiproxyApiPort() + ")", e);
    }
  }

  private ProcessHandle handle(String name) {
    LabState.Entry e = state.entry(name);
    return ProcessHandle.of(e.pid()).filter(ProcessHandle::isAlive)
        .orElseThrow(() -> new IllegalStateException(name + " (pid " + e.pid() + ") is not running"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling pid " + pid, e);
    }
  }
}
