package dev.dialtone.chaos.fault;

import java.time.Instant;

/**
 * A fault as recorded in ZooKeeper before it is injected, so that whoever leads next can find and
 * heal it. {@code lever} says what put it there: {@value #TOXIPROXY} ({@code toxic} is the
 * Toxiproxy toxic name; {@code type} {@code down} disables the proxy instead) or {@value
 * #PACKET_FILTER} ({@code proxy} is the packet-filter path, {@code toxic} the tag of its rule).
 * Records written before levers existed read as Toxiproxy ones.
 */
public record ToxicRecord(
    String id, String proxy, String toxic, String type, String runId, long epoch, Instant injectedAt, String lever) {
  /** Toxics on a Toxiproxy proxy ({@link FaultInjector}). */
  public static final String TOXIPROXY = "toxiproxy";

  /** Drop/reject rules in a network namespace ({@link PacketFilterSwitch}). */
  public static final String PACKET_FILTER = "packet-filter";

  public ToxicRecord {
    lever = lever == null ? TOXIPROXY : lever;
  }

  /** A Toxiproxy toxic. */
  public ToxicRecord(String id, String proxy, String toxic, String type, String runId, long epoch, Instant injectedAt) {
    this(id, proxy, toxic, type, runId, epoch, injectedAt, TOXIPROXY);
  }
}
