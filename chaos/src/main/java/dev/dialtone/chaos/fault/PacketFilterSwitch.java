package dev.dialtone.chaos.fault;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects a drill's faults as packet-filter rules on a registered {@link PacketFilterPath}: the
 * lever for UDP paths (SIP, DNS) that Toxiproxy cannot carry. Only {@code down} (reject) and {@code
 * timeout} (drop: a blackhole until healed) exist; anything else is refused before a record is
 * written. Records go to the same {@link ToxicLedger}, before the rule, so a new leader's {@link
 * OrphanToxicCleaner} heals them too.
 */
public final class PacketFilterSwitch implements FaultSwitch, ToxicHealer {
  private static final Logger log = LoggerFactory.getLogger(PacketFilterSwitch.class);

  /** What a fault becomes on a packet filter. */
  enum Verdict { DROP, REJECT }

  private final PacketFilterPaths paths;
  private final ToxicLedger ledger;
  private final ZooKeeperLiveRuns liveRuns;
  private final Clock clock;

  public PacketFilterSwitch(PacketFilterPaths paths, ToxicLedger ledger, ZooKeeperLiveRuns liveRuns, Clock clock) {
    this.paths = paths;
    this.ledger = ledger;
    this.liveRuns = liveRuns;
    this.clock = clock;
  }

  /** Whether drills on {@code proxy} go through this lever. */
  public boolean handles(String proxy) {
    return paths.contains(proxy);
  }

  /**
   * Why {@code drill} cannot run here, one line per fault this lever cannot apply (empty if it can,
   * or if its target is not a packet-filter path). For checking drills when they are loaded.
   */
  public List<String> refusals(DrillDefinition drill) {
    if (drill.faults() == null || drill.target() == null) {
      return List.of();
    }
    // A drill on every region, or on a role (active, standby:N: any region when it starts), may reach
    // packet-filter paths of any region: check each that exists.
    List<String> candidates = drill.targetsEveryRegion() || drill.targetsByRole()
        ? paths.names().stream().filter(n -> n.endsWith("-" + drill.target().dependency())).toList()
        : List.of(drill.proxyName());
    List<String> refusals = new ArrayList<>();
    for (String name : candidates) {
      paths.find(name).ifPresent(path -> refusals.addAll(refusals("drill " + drill.name(), path, drill.faults())));
    }
    return refusals;
  }

  static List<String> refusals(String who, PacketFilterPath path, List<Fault> faults) {
    List<String> refusals = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      refusal(who, i, faults.get(i), path).ifPresent(refusals::add);
    }
    return refusals;
  }

  // Pure: the refusal of one fault on one path, naming who asked, the fault and why.
  static Optional<String> refusal(String who, int index, Fault fault, PacketFilterPath path) {
    String what = who + ": faults[" + index + "] '" + fault.type() + "' on packet-filter path " + path;
    if (verdict(fault).isEmpty()) {
      String shaping = path.filter().netemAvailable()
          ? "tc netem, which this lever does not drive yet"
          : "the tc netem qdisc, which this host's kernel lacks";
      return Optional.of(what + " is not possible: a packet filter only rejects ('down') or drops ('timeout');"
          + " latency, loss and bandwidth on a UDP path need " + shaping);
    }
    if (fault.toxicity() < 1.0) {
      return Optional.of(what + " is not possible with toxicity " + fault.toxicity()
          + ": a packet filter breaks every packet to the port or none (use toxicity 1)");
    }
    return Optional.empty();
  }

  static Optional<Verdict> verdict(Fault fault) {
    return switch (fault) {
      case Fault.Down d -> Optional.of(Verdict.REJECT);
      case Fault.Timeout t -> Optional.of(Verdict.DROP);
      default -> Optional.empty();
    };
  }

  @Override
  public void inject(String runId, long epoch, String proxyName, List<Fault> faults) throws FaultException {
    DrillZnodes.requireName("run id", runId);
    PacketFilterPath path = paths.find(proxyName).orElseThrow(() -> new FaultException(FaultException.Failure.PERMANENT,
        "drill run " + runId + ": no packet-filter path '" + proxyName + "' (registered: " + paths.names() + ")", null));
    List<String> refusals = refusals("drill run " + runId, path, faults);
    if (!refusals.isEmpty()) {
      throw new FaultException(FaultException.Failure.PERMANENT, String.join("; ", refusals), null);
    }
    liveRuns.register(runId);
    try {
      for (int i = 0; i < faults.size(); i++) {
        Fault fault = faults.get(i);
        // One run may break several proxies: the id names which (short, for nft comments).
        String id = runId + "-" + Integer.toHexString(proxyName.hashCode() & 0xffff) + "-" + i;
        ToxicRecord record = new ToxicRecord(id, proxyName, "dialtone-" + id, fault.type(), runId, epoch,
            clock.instant(), ToxicRecord.PACKET_FILTER);
        ledger.record(record);
        Verdict verdict = verdict(fault).orElseThrow();
        apply(path, verdict, record);
        log.info("[epoch={} run={}] injected {} on {} as {} rule {}", epoch, runId, fault.type(), path, verdict, record.toxic());
      }
    } catch (FaultException | RuntimeException e) {
      try {
        heal(runId);
      } catch (FaultException healFailure) {
        e.addSuppressed(healFailure);
      }
      throw e;
    }
  }

  private static void apply(PacketFilterPath path, Verdict verdict, ToxicRecord record) throws FaultException {
    try {
      if (verdict == Verdict.DROP) {
        path.filter().drop(path.protocol(), path.port(), record.toxic());
      } else {
        path.filter().reject(path.protocol(), path.port(), record.toxic());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FaultException(FaultException.Failure.TRANSIENT, "interrupted injecting " + record.id() + " on " + path, e);
    } catch (Exception e) {
      throw new FaultException(FaultException.Failure.TRANSIENT,
          "could not inject " + record.type() + " on " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void heal(String runId) throws FaultException {
    RunHealing.heal(runId, ledger, liveRuns, this);
  }

  /**
   * Removes one recorded rule. A path not registered on this replica is refused (the rule may still
   * be in force): the record stays for a replica that knows the path.
   */
  @Override
  public void heal(ToxicRecord record) throws FaultException {
    if (!ToxicRecord.PACKET_FILTER.equals(record.lever())) {
      throw new FaultException(FaultException.Failure.PERMANENT, "fault " + record.id() + " on " + record.proxy()
          + " was put there by the " + record.lever() + " lever, not a packet filter", null);
    }
    PacketFilterPath path = paths.find(record.proxy()).orElseThrow(() -> new FaultException(
        FaultException.Failure.PERMANENT, "cannot heal " + record.id() + ": no packet-filter path '" + record.proxy()
            + "' registered here (registered: " + paths.names() + ")", null));
    try {
      path.filter().remove(record.toxic());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FaultException(FaultException.Failure.TRANSIENT, "interrupted healing " + record.id() + " on " + path, e);
    } catch (Exception e) {
      throw new FaultException(FaultException.Failure.TRANSIENT,
          "could not heal " + record.id() + " on " + path + ": " + e.getMessage(), e);
    }
    log.info("[epoch={} run={}] healed {} on {}", record.epoch(), record.runId(), record.toxic(), path);
  }
}
