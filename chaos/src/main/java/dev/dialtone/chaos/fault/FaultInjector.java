package dev.dialtone.chaos.fault;

import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects a drill's faults as toxics on a real Toxiproxy server. Every toxic is recorded in the
 * {@link ToxicLedger} before it exists and deleted from it only after it is gone, and the run is
 * marked live in {@link ZooKeeperLiveRuns}, so a dying injector leaves orphans a successor can
 * find ({@link OrphanToxicCleaner}).
 */
public final class FaultInjector implements FaultSwitch, ToxicHealer {
  private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);
  static final String DOWN = "down";

  private final ToxiproxyClient toxiproxy;
  private final ToxicLedger ledger;
  private final ZooKeeperLiveRuns liveRuns;
  private final Clock clock;

  public FaultInjector(ToxiproxyClient toxiproxy, ToxicLedger ledger, ZooKeeperLiveRuns liveRuns, Clock clock) {
    this.toxiproxy = toxiproxy;
    this.ledger = ledger;
    this.liveRuns = liveRuns;
    this.clock = clock;
  }

  @Override
  public void inject(String runId, long epoch, String proxyName, List<Fault> faults) throws FaultException {
    DrillZnodes.requireName("run id", runId);
    Proxy proxy = proxy(proxyName);
    liveRuns.register(runId);
    try {
      for (int i = 0; i < faults.size(); i++) {
        Fault fault = faults.get(i);
        // One run may break several proxies: the id names which (short, for nft comments).
        String id = runId + "-" + Integer.toHexString(proxyName.hashCode() & 0xffff) + "-" + i;
        ToxicRecord record =
            new ToxicRecord(id, proxyName, "dialtone-" + id, fault.type(), runId, epoch, clock.instant());
        ledger.record(record);
        apply(proxy, fault, record.toxic());
        log.info("[epoch={} run={}] injected {} on {} as {}", epoch, runId, fault.type(), proxyName, record.toxic());
      }
    } catch (FaultException | RuntimeException e) {
      healQuietly(runId, e);
      throw e;
    }
  }

  private void healQuietly(String runId, Exception cause) {
    try {
      heal(runId);
    } catch (FaultException healFailure) {
      cause.addSuppressed(healFailure);
    }
  }

  @Override
  public void heal(String runId) throws FaultException {
    RunHealing.heal(runId, ledger, liveRuns, this);
  }

  /**
   * Removes one recorded toxic from Toxiproxy (or re-enables its proxy); gone already is fine. A
   * record of another lever is refused: a missing proxy by its name must not pass for healed.
   */
  @Override
  public void heal(ToxicRecord record) throws FaultException {
    if (!ToxicRecord.TOXIPROXY.equals(record.lever())) {
      throw new FaultException(FaultException.Failure.PERMANENT, "fault " + record.id() + " on " + record.proxy()
          + " was put there by the " + record.lever() + " lever, not Toxiproxy; heal it with a RoutingFaultSwitch", null);
    }
    Proxy proxy;
    try {
      proxy = toxiproxy.getProxyOrNull(record.proxy());
    } catch (RuntimeException e) {
      throw new FaultException(FaultException.Failure.TRANSIENT, "toxiproxy unreachable healing " + record.id() + ": " + e, e);
    }
    if (proxy == null) {
      return; // The proxy itself is gone, and its toxics with it.
    }
    try {
      if (DOWN.equals(record.type())) {
        proxy.enable();
      } else {
        for (Toxic toxic : proxy.toxics().getAll()) {
          if (toxic.getName().equals(record.toxic())) {
            toxic.remove();
          }
        }
      }
      log.info("[epoch={} run={}] healed {} on {}", record.epoch(), record.runId(), record.toxic(), record.proxy());
    } catch (IOException e) {
      throw new FaultException(FaultException.Failure.TRANSIENT, "could not heal " + record.id() + " on " + record.proxy() + ": " + e.getMessage(), e);
    }
  }

  private Proxy proxy(String name) throws FaultException {
    try {
      return toxiproxy.getProxy(name);
    } catch (IOException e) {
      throw new FaultException(FaultException.Failure.PERMANENT, "no Toxiproxy proxy '" + name + "': " + e.getMessage(), e);
    }
  }

  private static void apply(Proxy proxy, Fault fault, String name) throws FaultException {
    try {
      Toxic toxic =
          switch (fault) {
            case Fault.Latency f ->
                proxy.toxics().latency(name, direction(f.direction()), f.latency().toMillis()).setJitter(f.jitter().toMillis());
            case Fault.Timeout f -> proxy.toxics().timeout(name, direction(f.direction()), f.timeout().toMillis());
            case Fault.ResetPeer f -> proxy.toxics().resetPeer(name, direction(f.direction()), f.timeout().toMillis());
            case Fault.Bandwidth f -> proxy.toxics().bandwidth(name, direction(f.direction()), f.rate());
            // Toxiproxy's slicer delay is in microseconds.
            case Fault.Slicer f ->
                proxy.toxics()
                    .slicer(name, direction(f.direction()), f.averageSize(), f.delay().toNanos() / 1000)
                    .setSizeVariation(f.sizeVariation());
            case Fault.Down f -> {
              proxy.disable();
              yield null;
            }
          };
      if (toxic != null && fault.toxicity() < 1.0) {
        toxic.setToxicity(fault.toxicity().floatValue());
      }
    } catch (IOException e) {
      throw new FaultException(FaultException.Failure.TRANSIENT, "could not inject " + fault.type() + " on " + proxy.getName() + ": " + e.getMessage(), e);
    }
  }

  private static ToxicDirection direction(Direction direction) {
    return direction == Direction.UPSTREAM ? ToxicDirection.UPSTREAM : ToxicDirection.DOWNSTREAM;
  }
}
