package dev.dialtone.lab;

import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fault-to-traffic-shifted benchmark: for each probe profile, one lab with two regions and
 * automatic failback off; for each fault kind, {@code drills} drills on the LLM of whichever region
 * is active, so traffic ping-pongs between the two. Prints fault → carrier shifted and fault → DNS
 * shifted (median, p99, p99 in probe intervals) against the goal, and the lab calls that failed.
 */
public final class LabBench {
  /** A fault the benchmark injects: a hard one the probe sees at once, or a blackhole it must time out on. */
  public enum FaultKind {
    HARD("down", "    - type: down\n"),
    BLACKHOLE("timeout", "    - type: timeout\n      timeout: 0ms\n");

    private final String name;
    private final String yaml;

    FaultKind(String name, String yaml) {
      this.name = name;
      this.yaml = yaml;
    }

    /** The goal for p99 fault → shifted: 2 intervals + 100 ms for hard faults, timeout + 1 interval + 100 ms for blackholes. */
    Duration goal(ProbeProfile p) {
      Duration slack = Duration.ofMillis(100);
      return this == HARD ? p.interval().multipliedBy(2).plus(slack) : p.timeout().plus(p.interval()).plus(slack);
    }
  }

  /** One drill's measured shift times; empty when not observed. */
  record Sample(Optional<Duration> carrier, Optional<Duration> dns) {}

  private final Path workDir;
  private final int drills;
  private final List<ProbeProfile> profiles;
  private final List<FaultKind> faults;
  private final PrintWriter out;

  public LabBench(Path workDir, int drills, List<ProbeProfile> profiles, List<FaultKind> faults, PrintWriter out) {
    if (drills < 1 || drills > 500) {
      throw new IllegalArgumentException("lab bench: drills per case must be 1..500, not " + drills);
    }
    this.workDir = workDir;
    this.drills = drills;
    this.profiles = List.copyOf(profiles);
    this.faults = List.copyOf(faults);
    this.out = out;
  }

  /** Runs every case; returns true when every goal was met and no lab call failed. */
  public boolean run() throws Exception {
    List<String> rows = new ArrayList<>();
    boolean allMet = true;
    for (ProbeProfile profile : profiles) {
      LabSettings settings = new LabSettings(workDir.resolve(profile.name().toLowerCase()), List.of("us-east", "us-west"),
          profile, 5, true).withPolicy(false, Duration.ofSeconds(1)).withDrills(drillFiles(profile));
      try (Lab lab = Lab.start(settings, line -> {})) {
        LabDrills runner = lab.drills();
        for (FaultKind fault : faults) {
          int failedBefore = lab.calls().failures().size();
          List<Sample> samples = new ArrayList<>();
          for (int i = 0; i < drills; i++) {
            samples.add(once(lab, runner, fault, i));
          }
          int failedCalls = lab.calls().failures().size() - failedBefore;
          Stats carrier = Stats.of(samples.stream().flatMap(s -> s.carrier().stream()).toList());
          Stats dns = Stats.of(samples.stream().flatMap(s -> s.dns().stream()).toList());
          Duration goal = fault.goal(profile);
          boolean met = carrier.n() == drills && dns.n() == drills && carrier.p99().compareTo(goal) <= 0
              && dns.p99().compareTo(goal) <= 0 && failedCalls == 0;
          allMet &= met;
          rows.add(String.format("%-8s %-9s %4d  %8s %8s %6.2f   %8s %8s %6.2f   %8s  %5d  %s",
              profile.name().toLowerCase(), fault.name, drills,
              ms(carrier.median()), ms(carrier.p99()), ratio(carrier.p99(), profile.interval()),
              ms(dns.median()), ms(dns.p99()), ratio(dns.p99(), profile.interval()),
              ms(goal), failedCalls, met ? "met" : "MISSED"));
          out.println("  " + rows.getLast());
          out.flush();
        }
      }
    }
    out.println();
    out.println("profile  fault     runs  carrier: median   p99  p99/iv   dns: median   p99  p99/iv   p99 goal  failed calls");
    rows.forEach(out::println);
    out.flush();
    return allMet;
  }

  private Sample once(Lab lab, LabDrills runner, FaultKind fault, int i) throws Exception {
    // Preflight refuses while the last drill's region is still recovering: that is the guardrail working; try again.
    for (int attempt = 0; attempt < 30; attempt++) {
      String active = lab.placement().map(p -> p.getActiveRegion()).orElse("us-east");
      DrillReport report = runner.run(drillName(fault, active), "lab bench " + fault.name + " #" + (i + 1), e -> {},
          Duration.ofMinutes(2));
      if (report.state() != DrillState.SKIPPED) {
        return sample(report.timeline());
      }
      Thread.sleep(500); // bounded: at most 30 attempts
    }
    throw new IllegalStateException("lab bench: the preflight refused 30 times in a row; see " + workDir);
  }

  static Sample sample(List<TimelineEvent> timeline) {
    Optional<Instant> fault = first(timeline, EventKind.FAULT_INJECTED);
    return new Sample(
        fault.flatMap(f -> first(timeline, EventKind.CARRIER_SHIFTED).map(c -> Duration.between(f, c))),
        fault.flatMap(f -> first(timeline, EventKind.DNS_SHIFTED).map(d -> Duration.between(f, d))));
  }

  private static Optional<Instant> first(List<TimelineEvent> timeline, EventKind kind) {
    return timeline.stream().filter(e -> e.kind() == kind).map(TimelineEvent::at).findFirst();
  }

  private static String drillName(FaultKind fault, String region) {
    return "bench-" + fault.name + "-" + region;
  }

  /** A drill per fault kind and region: break the region's LLM until traffic has left it, then heal. */
  static Map<String, String> drillFiles(ProbeProfile profile) {
    Map<String, String> files = new LinkedHashMap<>();
    // Long enough for the slowest detection (blackhole: up to an interval, then two timeouts) with room to spare.
    long faultSeconds = Math.max(3, profile.interval().multipliedBy(2).plus(profile.timeout().multipliedBy(3)).toSeconds() + 1);
    for (FaultKind fault : FaultKind.values()) {
      for (String region : List.of("us-east", "us-west")) {
        String name = drillName(fault, region);
        files.put(name + ".yaml", "# Written by `dialtone lab bench`.\n"
            + "name: " + name + "\n"
            + "region: " + region + "\n"
            + "target: { kind: LLM, dependency: " + LabRegion.LLM + " }\n"
            + "faults:\n" + fault.yaml
            + "duration: " + faultSeconds + "s\n"
            + "expectations:\n  shifted_within: 10s\n  no_outage_mode: true\n  no_failed_lab_calls: false\n"
            + "guardrails:\n  require_healthy_standby: true\n  require_no_plan_in_flight: true\n  require_not_frozen: true\n"
            + "  abort_on_incident_elsewhere: true\n  abort_on_breach: true\n  max_duration: 1m\n");
      }
    }
    return files;
  }

  private static String ms(Duration d) {
    return d == null ? "-" : d.toMillis() + "ms";
  }

  private static double ratio(Duration d, Duration interval) {
    return d == null ? Double.NaN : (double) d.toNanos() / interval.toNanos();
  }

  /** Median and p99 (nearest rank) of a sample. */
  record Stats(int n, Duration median, Duration p99) {
    static Stats of(List<Duration> values) {
      if (values.isEmpty()) {
        return new Stats(0, null, null);
      }
      List<Duration> sorted = values.stream().sorted().toList();
      return new Stats(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99));
    }

    private static Duration rank(List<Duration> sorted, double q) {
      int index = (int) Math.ceil(q * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
  }
}
