package dev.dialtone.lab.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges one schedule on its {@link CampaignHistory} alone (pure): no write accepted under a
 * superseded epoch, no two epochs acting at once, no automatic failover off a region that no fault
 * touched, traffic never routed to a region whose fault the agents had long seen, nothing moved by
 * the policy while frozen, every accepted operator action in the history, no route naming a region
 * being drained, and no lab call failed outside a regional fault's window.
 */
public final class CampaignChecker {
  static final String POLICY = "policy";

  /** The result, with the figures the campaign sums. */
  public record Verdict(List<String> violations, int staleWritesAccepted, int failovers, int falseFailovers,
      int unhealthyRoutes, int attributedCallFailures, int unattributedCallFailures) {
    public boolean passed() {
      return violations.isEmpty();
    }
  }

  private final Duration grace;
  private final Duration visibleAfter;

  /**
   * @param grace how long after a regional fault heals its effects still count as its own: reports
   *     of the fault still arriving, the hold-down, a failover decided just before the heal
   * @param visibleAfter how long after its injection a regional fault is surely seen by the control
   *     plane (probe failures to the threshold, the report, the policy's tick); before that a route
   *     to the region was decided on what was true
   */
  public CampaignChecker(Duration grace, Duration visibleAfter) {
    this.grace = grace;
    this.visibleAfter = visibleAfter;
  }

  public Verdict check(CampaignHistory h) {
    List<String> violations = new ArrayList<>();
    List<CampaignHistory.Entry> entries = h.entries().stream()
        .sorted(Comparator.comparingLong(CampaignHistory.Entry::sequence)).toList();

    // 1. Epochs never go back in commit order: an entry under an older epoch than one already
    //    committed is a write a superseded leader got through.
    int stale = 0;
    long newest = 0;
    for (CampaignHistory.Entry e : entries) {
      if (e.epoch() < newest) {
        stale++;
        violations.add("stale write accepted: history entry " + e.sequence() + " (" + e.summary() + ") under epoch "
            + e.epoch() + " after epoch " + newest + " had written");
      }
      newest = Math.max(newest, e.epoch());
    }

    // 2. Acting intervals (first to last entry of each epoch) never overlap.
    Map<Long, Instant[]> acting = new TreeMap<>();
    for (CampaignHistory.Entry e : entries) {
      acting.compute(e.epoch(), (k, v) -> v == null ? new Instant[] {e.at(), e.at()}
          : new Instant[] {min(v[0], e.at()), max(v[1], e.at())});
    }
    Map.Entry<Long, Instant[]> previous = null;
    for (Map.Entry<Long, Instant[]> current : acting.entrySet()) {
      if (previous != null && previous.getValue()[1].isAfter(current.getValue()[0])) {
        violations.add("two leaders acting at once: epoch " + previous.getKey() + " wrote until " + previous.getValue()[1]
            + ", epoch " + current.getKey() + " from " + current.getValue()[0]);
      }
      previous = current;
    }

    // 3. An automatic move off the active region needs a regional fault on it, in or just after its window.
    int failovers = 0;
    int falseFailovers = 0;
    for (CampaignHistory.Entry e : entries) {
      if (!"DECISION".equals(e.kind()) || !POLICY.equals(e.principal()) || e.reason().startsWith("failing back")) {
        continue;
      }
      String before = first(e.placementBefore());
      String after = e.summary().startsWith("Shift: route ") ? first(e.summary().substring("Shift: route ".length()))
          : e.summary().startsWith("EnterOutage") ? "OUTAGE" : null;
      if (after == null || before.isEmpty() || before.equals(after) || "OUTAGE".equals(before)) {
        continue; // not a move off a region (a standby refresh, leaving outage mode, the first placement)
      }
      failovers++;
      if (!faulted(h, before, e.at())) {
        falseFailovers++;
        violations.add("false failover: " + e.summary() + " at " + e.at() + " (epoch " + e.epoch() + ") moved traffic off "
            + before + ", which no fault touched: " + e.reason());
      }
    }

    // 4. Every route (the policy's or an operator's) goes to a region no fault had been breaking
    //    for longer than it takes to see, or to the fallback chain (EnterOutage is never a route).
    //    Keeping a region active whose agent is silent is no new route to it: routing holds on
    //    silence by design.
    int unhealthyRoutes = 0;
    for (CampaignHistory.Entry e : entries) {
      if (!"DECISION".equals(e.kind()) || !e.summary().startsWith("Shift: route ")) {
        continue;
      }
      String to = first(e.summary().substring("Shift: route ".length()));
      boolean stays = to.equals(first(e.placementBefore()));
      Optional<CampaignHistory.FaultWindow> seen = h.faults().stream().filter(f -> f.fault().kind().regional()
          && !(stays && f.fault().kind().silencesAgent())
          && f.fault().region().equals(to) && !e.at().isBefore(f.injectedAt().plus(visibleAfter))
          && (f.healedAt() == null || e.at().isBefore(f.healedAt()))).findFirst();
      if (seen.isPresent()) {
        unhealthyRoutes++;
        violations.add("routed to an unhealthy region: " + e.summary() + " at " + e.at() + " (epoch " + e.epoch() + ", by "
            + e.principal() + ") while " + seen.get().fault().describe() + " had been in since " + seen.get().injectedAt());
      }
    }

    // 5. While a freeze holds (from an operator's freeze to the next unfreeze, in commit order) the
    //    policy moves nothing.
    boolean frozen = false;
    for (CampaignHistory.Entry e : entries) {
      if ("MANUAL_ACTION".equals(e.kind()) && (e.summary().equals("freeze") || e.summary().startsWith("freeze for "))) {
        frozen = true;
      } else if ("MANUAL_ACTION".equals(e.kind()) && e.summary().equals("unfreeze")) {
        frozen = false;
      } else if (frozen && "DECISION".equals(e.kind()) && POLICY.equals(e.principal())
          && (e.summary().startsWith("Shift: ") || e.summary().startsWith("EnterOutage"))) {
        violations.add("the policy acted while frozen: " + e.summary() + " at " + e.at() + " (epoch " + e.epoch() + ")");
      }
    }

    // 6. Every operator action the control plane accepted is in the history, by a principal other than the policy.
    for (CampaignHistory.Action a : h.actions()) {
      if (a.accepted() && entries.stream().noneMatch(e -> !POLICY.equals(e.principal()) && !e.at().isBefore(a.at().minusSeconds(1))
          && e.summary().contains(a.detail()))) {
        violations.add("operator action missing from the history: " + a.kind() + " " + a.detail() + " at " + a.at());
      }
    }

    // 7. A region being drained (from its "draining" to its "drain cancelled", in commit order) is
    //    out of rotation: no route names it, as active or as standby.
    Set<String> draining = new HashSet<>();
    for (CampaignHistory.Entry e : entries) {
      if ("REGION".equals(e.kind()) && e.summary().endsWith(" draining")) {
        draining.add(e.summary().substring(0, e.summary().length() - " draining".length()).trim());
      } else if ("REGION".equals(e.kind()) && e.summary().contains(" drain cancelled")) {
        draining.remove(e.summary().substring(0, e.summary().indexOf(" drain cancelled")).trim());
      } else if ("DECISION".equals(e.kind()) && e.summary().startsWith("Shift: route ")) {
        List<String> route = regions(e.summary().substring("Shift: route ".length()));
        route.stream().filter(draining::contains).findFirst().ifPresent(r -> violations.add("routed to a draining region: "
            + e.summary() + " at " + e.at() + " (epoch " + e.epoch() + ", by " + e.principal() + ") names " + r
            + ", drained and not put back"));
      }
    }

    // 8. A lab call may fail only while a regional fault is in (or within the grace after it).
    int attributed = 0;
    int unattributed = 0;
    for (Instant failure : h.callFailures()) {
      boolean explained = h.faults().stream().anyMatch(f -> f.fault().kind().regional() && within(f, failure));
      if (explained) {
        attributed++;
      } else {
        unattributed++;
        violations.add("a lab call failed at " + failure + " while no regional fault was in");
      }
    }
    return new Verdict(List.copyOf(violations), stale, failovers, falseFailovers, unhealthyRoutes, attributed, unattributed);
  }

  private boolean faulted(CampaignHistory h, String region, Instant at) {
    return h.faults().stream().anyMatch(f -> f.fault().kind().regional() && f.fault().region().equals(region) && within(f, at));
  }

  private boolean within(CampaignHistory.FaultWindow f, Instant at) {
    Instant end = f.healedAt() == null ? Instant.MAX : f.healedAt().plus(grace);
    return !at.isBefore(f.injectedAt()) && !at.isAfter(end);
  }

  private static List<String> regions(String route) {
    return Arrays.stream(route.split(" > ")).map(String::trim).filter(r -> !r.isEmpty()).toList();
  }

  private static String first(String route) {
    int arrow = route.indexOf(" > ");
    return (arrow < 0 ? route : route.substring(0, arrow)).trim();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
