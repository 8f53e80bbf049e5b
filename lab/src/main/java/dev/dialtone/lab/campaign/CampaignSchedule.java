package dev.dialtone.lab.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded random fault schedule: the same campaign seed and index always give the same faults,
 * so a failing schedule is replayed with {@code dialtone lab campaign --seed S --only I}.
 */
public record CampaignSchedule(long seed, int index, List<PlannedFault> faults) {
  /** Dependencies a regional fault may break (the lab's proxies are {@code <region>-<dependency>}). */
  public static final List<String> DEPENDENCIES = List.of("llm", "db", "cache");
  static final int MAX_FAULTS = 3;
  /** The region a fault resolves when it is injected: whichever is active then. */
  public static final String ACTIVE = "active";
  /** The lab's ensemble size. */
  static final int ZOOKEEPER_SERVERS = 3;

  public CampaignSchedule {
    faults = List.copyOf(faults);
  }

  /** The schedule {@code index} (from 1) of the campaign {@code seed}, over {@code regions}. */
  public static CampaignSchedule generate(long seed, int index, List<String> regions) {
    Random random = new Random(seed * 1_000_003L + index);
    int count = 1 + random.nextInt(MAX_FAULTS);
    List<PlannedFault> faults = new ArrayList<>();
    FaultKind[] kinds = FaultKind.values();
    boolean controlPlaneFault = false;
    for (int i = 0; i < count; i++) {
      FaultKind kind = kinds[random.nextInt(kinds.length)];
      // One replica fault at a time: two leaders killed at once is a quorum question, not this campaign's.
      if (kind.controlPlane()) {
        if (controlPlaneFault) {
          kind = FaultKind.DEPENDENCY_DOWN;
        }
        controlPlaneFault = true;
      }
      String region = kind == FaultKind.STALL_LEADER_IN_FAILOVER ? ACTIVE
          : kind.targetsRegion() ? regions.get(random.nextInt(regions.size())) : "";
      String dependency = switch (kind) {
        case DEPENDENCY_DOWN, DEPENDENCY_LATENCY, DEPENDENCY_TIMEOUT, DEPENDENCY_RESET ->
            DEPENDENCIES.get(random.nextInt(DEPENDENCIES.size()));
        case STALL_LEADER_IN_FAILOVER -> "llm";
        case KILL_ZOOKEEPER_SERVER, QUORUM_LOST -> "zk" + (1 + random.nextInt(ZOOKEEPER_SERVERS)); // the first one killed
        default -> "";
      };
      Duration after = Duration.ofMillis(random.nextInt(6_000));
      Duration hold = kind == FaultKind.SWITCHOVER ? Duration.ZERO : Duration.ofMillis(2_000 + random.nextInt(8_000));
      faults.add(new PlannedFault(kind, region, dependency, after, hold));
    }
    faults.sort(Comparator.comparing(PlannedFault::after));
    return new CampaignSchedule(seed, index, faults);
  }

  /** The command that runs this schedule alone. */
  public String replayCommand() {
    return "./dialtone lab campaign --seed " + seed + " --only " + index;
  }
}
