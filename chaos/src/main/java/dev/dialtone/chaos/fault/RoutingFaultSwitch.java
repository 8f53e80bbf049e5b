package dev.dialtone.chaos.fault;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.Fault;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.time.Clock;
import java.util.List;

/**
 * The fault switch with both levers: drills on a registered {@link PacketFilterPaths packet-filter
 * path} go to the {@link PacketFilterSwitch}, all others to Toxiproxy ({@link FaultInjector}).
 * Heals each record by the lever that wrote it, so it is also the {@link OrphanToxicCleaner}'s
 * healer.
 */
public final class RoutingFaultSwitch implements FaultSwitch, ToxicHealer {
  private final FaultInjector toxiproxy;
  private final PacketFilterSwitch packetFilter;
  private final ToxicLedger ledger;
  private final ZooKeeperLiveRuns liveRuns;

  /** Both levers on one ledger; {@code paths} may be empty (and filled later). */
  public RoutingFaultSwitch(
      ToxiproxyClient toxiproxy, ToxicLedger ledger, ZooKeeperLiveRuns liveRuns, Clock clock, PacketFilterPaths paths) {
    this.toxiproxy = new FaultInjector(toxiproxy, ledger, liveRuns, clock);
    this.packetFilter = new PacketFilterSwitch(paths, ledger, liveRuns, clock);
    this.ledger = ledger;
    this.liveRuns = liveRuns;
  }

  @Override
  public void inject(String runId, long epoch, String proxy, List<Fault> faults) throws FaultException {
    (packetFilter.handles(proxy) ? packetFilter : toxiproxy).inject(runId, epoch, proxy, faults);
  }

  @Override
  public void heal(String runId) throws FaultException {
    RunHealing.heal(runId, ledger, liveRuns, this);
  }

  /** Marks the run live under this replica's session, so the orphan sweep leaves its toxics to the run. */
  @Override
  public void adopt(String runId) throws FaultException {
    liveRuns.register(runId);
  }

  @Override
  public void heal(ToxicRecord record) throws FaultException {
    if (ToxicRecord.PACKET_FILTER.equals(record.lever())) {
      packetFilter.heal(record);
    } else {
      toxiproxy.heal(record);
    }
  }

  /** Why {@code drill} cannot run (faults its target's lever cannot apply); empty if it can. */
  public List<String> refusals(DrillDefinition drill) {
    return packetFilter.refusals(drill);
  }
}
