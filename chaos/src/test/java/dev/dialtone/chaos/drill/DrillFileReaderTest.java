package dev.dialtone.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DrillFileReaderTest {
  private static final String FILE = "drills/llm.yaml";

  /** A valid drill; each broken case edits one line of it. Line numbers are 1-based. */
  private static final String VALID =
      """
      name: llm-latency
      region: us-east
      target:
        kind: LLM
        dependency: llm
      faults:
        - type: latency
          latency: 2s
          jitter: 100ms
          direction: upstream
          toxicity: 0.5
        - type: down
      duration: 30s
      expectations:
        shifted_within: 10s
        failed_back_within: 1m
      guardrails:
        max_duration: 3m
      schedule:
        cron: "0 10 * * 2"
        zone: Europe/Paris
        missed_run: run_once_if_within
        missed_run_within: 2h
      """;

  private final DrillFileReader reader = new DrillFileReader();

  @Test
  void readsAValidDrillWithItsDefaults() throws Exception {
    DrillDefinition drill = reader.read(FILE, VALID);

    assertThat(drill.name()).isEqualTo("llm-latency");
    assertThat(drill.proxyName()).isEqualTo("us-east-llm");
    assertThat(drill.target()).isEqualTo(new DrillTarget(DependencyKind.LLM, "llm"));
    assertThat(drill.faults())
        .containsExactly(
            new Fault.Latency(Duration.ofSeconds(2), Duration.ofMillis(100), Direction.UPSTREAM, 0.5),
            new Fault.Down());
    assertThat(drill.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(drill.expectations())
        .isEqualTo(new DrillExpectations(Duration.ofSeconds(10), Duration.ofMinutes(1), true, true));
    assertThat(drill.guardrails())
        .isEqualTo(new DrillGuardrails(true, true, true, true, true, Duration.ofMinutes(3)));
    assertThat(drill.schedule())
        .isEqualTo(
            new DrillSchedule(
                "0 10 * * 2", "Europe/Paris", DrillSchedule.MissedRun.RUN_ONCE_IF_WITHIN, Duration.ofHours(2)));
  }

  @Test
  void defaultsOfOptionalFields() throws Exception {
    DrillDefinition drill =
        reader.read(
            FILE,
            """
            name: minimal
            region: us-west
            target: { kind: cache, dependency: redis }
            faults: [ { type: timeout, timeout: 0 } ]
            duration: 10s
            guardrails: { max_duration: 1m }
            """);

    assertThat(drill.faults()).containsExactly(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0));
    assertThat(drill.expectations()).isEqualTo(new DrillExpectations(null, null, true, true));
    assertThat(drill.guardrails().requireHealthyStandby()).isTrue();
    assertThat(drill.guardrails().abortOnBreach()).isTrue();
    assertThat(drill.schedule()).isNull();
    assertThat(new DrillSchedule("0 * * * *", null, null, null))
        .isEqualTo(new DrillSchedule("0 * * * *", "UTC", DrillSchedule.MissedRun.SKIP, null));
  }

  @Test
  void theLabsDefaultDrillFileIsValid() throws Exception {
    DrillDefinition drill = reader.read(Path.of("drills/llm-timeout.yaml"));

    assertThat(drill.name()).isEqualTo("llm-timeout");
    assertThat(drill.region()).as("whichever region is active when it starts").isEqualTo(DrillDefinition.ACTIVE);
    assertThat(drill.resolvedAgainst(List.of("us-east", "us-west")).proxyName()).isEqualTo("us-east-llm");
    assertThat(drill.faults()).containsExactly(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0));
  }

  @Test
  void readsBlockedDatesAndWindows() throws Exception {
    DrillDefinition drill = reader.read(FILE, VALID.replace("  missed_run_within: 2h\n", """
          missed_run_within: 2h
          blocked_dates: ["2026-12-24", "2026-12-25"]
          blocked_windows: [{ days: [FRI], from: "16:00", to: "24:00" }]
          allowed_windows: [{ days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "17:00" }]
        """));

    assertThat(drill.schedule().blockedDates()).containsExactly("2026-12-24", "2026-12-25");
    assertThat(drill.schedule().blockedAt(java.time.Instant.parse("2026-12-24T10:00:00Z"))).hasValue(
        "2026-12-24 is a blocked date (Europe/Paris)");
    assertThat(drill.schedule().blockedAt(java.time.Instant.parse("2026-12-04T15:30:00Z"))).hasValue(
        "16:30 on FRIDAY is in the blocked window FRI 16:00-24:00 (Europe/Paris)");
    assertThat(drill.schedule().blockedAt(java.time.Instant.parse("2026-12-01T09:00:00Z"))).isEmpty();
  }

  static Stream<Arguments> brokenFiles() {
    return Stream.of(
        broken("a blocked date that is no date", "  missed_run_within: 2h", "  missed_run_within: 2h\n  blocked_dates: [2026-02-30]",
            "drills/llm.yaml:24: schedule.blocked_dates[0]: '2026-02-30' is not a date (YYYY-MM-DD)"),
        broken("a window's day that is no day", "  missed_run_within: 2h",
            "  missed_run_within: 2h\n  blocked_windows: [{ days: [FRY], from: \"16:00\", to: \"18:00\" }]",
            "drills/llm.yaml:24: schedule.blocked_windows[0].days[0]: 'FRY' is not a day of the week (MON, TUE, WED, THU, FRI, SAT, SUN)"),
        broken("a window across midnight", "  missed_run_within: 2h",
            "  missed_run_within: 2h\n  allowed_windows: [{ from: \"22:00\", to: \"02:00\" }]",
            "drills/llm.yaml:24: schedule.allowed_windows[0].to: must be after from (22:00): a window does not cross midnight, write one before and one after it"),
        broken("a typo in a window", "  missed_run_within: 2h",
            "  missed_run_within: 2h\n  allowed_windows: [{ frm: \"09:00\", to: \"17:00\" }]",
            "drills/llm.yaml:24: schedule.allowed_windows[0].frm: unknown key 'frm' in schedule.allowed_windows[0] (did you mean 'from'?)"),
        broken("a typo in a fault's field", "  latency: 2s", "  latncy: 2s",
            "drills/llm.yaml:8: faults[0].latncy: unknown key 'latncy' in faults[0] (did you mean 'latency'?)"),
        broken("a typo at the top level", "duration: 30s", "duraton: 30s",
            "drills/llm.yaml:13: duraton: unknown key 'duraton' (did you mean 'duration'?)"),
        broken("a typo in guardrails", "  max_duration: 3m", "  max_duraton: 3m",
            "drills/llm.yaml:18: guardrails.max_duraton: unknown key 'max_duraton' in guardrails (did you mean 'max_duration'?)"),
        broken("a field unlike any other", "  jitter: 100ms", "  colour: red",
            "drills/llm.yaml:9: faults[0].colour: unknown key 'colour' in faults[0] (known: direction, jitter, latency, toxicity)"),
        broken("a name that cannot be a znode", "name: llm-latency", "name: llm latency/1",
            "drills/llm.yaml:1: name: may only use letters, digits, '.', '_' and '-'"),
        broken("a dependency that cannot name a proxy", "  dependency: llm", "  dependency: \"../llm\"",
            "drills/llm.yaml:5: target.dependency: may only use letters, digits"),
        broken("a missing region", "region: us-east", "",
            "drills/llm.yaml:1: region: is required"),
        broken("a missing fault attribute", "  latency: 2s", "",
            "drills/llm.yaml:7: faults[0].latency: is required"),
        broken("a duplicated field", "    toxicity: 0.5", "    toxicity: 0.5\n    toxicity: 0.7",
            "drills/llm.yaml:12: faults[0]: duplicate key 'toxicity': each key may appear once"),
        broken("a missing max duration", "  max_duration: 3m", "  abort_on_breach: true",
            "drills/llm.yaml:17: guardrails.max_duration: is required"),
        broken("a negative duration", "duration: 30s", "duration: -30s",
            "drills/llm.yaml:13: duration: '-30s' is negative; write a whole number with a unit"),
        broken("a negative latency", "  latency: 2s", "  latency: -2s",
            "drills/llm.yaml:8: faults[0].latency: '-2s' is negative"),
        broken("a max duration shorter than the drill", "  max_duration: 3m", "  max_duration: 10s",
            "drills/llm.yaml:18: guardrails.max_duration: is shorter (10s) than duration (30s)"),
        broken("a toxicity above 1", "    toxicity: 0.5", "    toxicity: 1.5",
            "drills/llm.yaml:11: faults[0].toxicity: must be between 0 and 1"),
        broken("a duration that is not one", "duration: 30s", "duration: half a minute",
            "drills/llm.yaml:13: duration: 'half a minute' is not a duration; write a whole number with a unit: 500ms, 30s, 5m, 1h"),
        broken("a bad cron", "  cron: \"0 10 * * 2\"", "  cron: \"0 25 * * 2\"",
            "drills/llm.yaml:20: schedule.cron: '0 25 * * 2' is not a Unix cron expression"),
        broken("a Quartz cron where Unix is expected", "  cron: \"0 10 * * 2\"", "  cron: \"0 0 10 ? * MON\"",
            "drills/llm.yaml:20: schedule.cron: '0 0 10 ? * MON' is not a Unix cron expression"),
        broken("a bad time zone", "  zone: Europe/Paris", "  zone: Mars/Olympus",
            "drills/llm.yaml:21: schedule.zone: 'Mars/Olympus' is not a time zone"),
        broken("a missed-run window without a policy", "  missed_run: run_once_if_within", "  missed_run: skip",
            "drills/llm.yaml:23: schedule.missed_run_within: only applies to missed_run: run_once_if_within"),
        broken("an unknown missed-run policy", "  missed_run: run_once_if_within", "  missed_run: sometimes",
            "drills/llm.yaml:22: schedule.missed_run: must be one of skip, run_once_if_within (was 'sometimes')"),
        broken("an unknown toxic type", "  - type: latency", "  - type: latncy",
            "drills/llm.yaml:7: faults[0].type: unknown type 'latncy' (did you mean 'latency'?)"),
        broken("a toxic type unlike any", "  - type: down", "  - type: earthquake",
            "drills/llm.yaml:12: faults[1].type: unknown type 'earthquake' (known: latency, timeout, reset_peer, bandwidth, slicer, down)"),
        broken("an unknown dependency kind", "  kind: LLM", "  kind: DNS",
            "drills/llm.yaml:4: target.kind: must be one of llm, db, cache, carrier (was 'DNS')"),
        broken("a bad direction", "    direction: upstream", "    direction: sideways",
            "drills/llm.yaml:10: faults[0].direction: must be one of upstream, downstream (was 'sideways')"));
  }

  private static Arguments broken(String why, String line, String replacement, String message) {
    String text =
        replacement.isEmpty()
            ? VALID.replaceFirst("(?m)^ *" + java.util.regex.Pattern.quote(line.strip()) + "\n", "")
            : VALID.replace(line + "\n", replacement + "\n");
    assertThat(text).as("case '%s' must edit the valid file", why).isNotEqualTo(VALID);
    return Arguments.of(why, text, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void refusesABrokenFileNamingItsLineAndField(String why, String text, String message) {
    assertThatThrownBy(() -> reader.read(FILE, text))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void reportsEveryProblemOfAFileAtOnceWithItsField() {
    String text = VALID.replace("region: us-east\n", "").replace("duration: 30s", "duration: 0");

    assertThatThrownBy(() -> reader.read(FILE, text))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::field, Problem::line)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("region", 1),
                        org.assertj.core.groups.Tuple.tuple("duration", 12)));
  }

  @Test
  void refusesYamlThatDoesNotParseWithItsLine() {
    assertThatThrownBy(() -> reader.read(FILE, "name: x\nregion: \"unterminated\nduration: 1s\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("drills/llm.yaml:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void refusesRegionsAndDependenciesTheReplicaDoesNotKnow() {
    DrillFileReader scoped = new DrillFileReader(new DrillScope(java.util.Set.of("us-east", "us-west"), java.util.Set.of("llm", "db")));
    assertThatThrownBy(() -> scoped.read(FILE, VALID.replace("dependency: llm", "dependency: lllm").replace("region: us-east", "region: mars-1")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("drills/llm.yaml:2: region: 'mars-1' is not a region of this deployment (nor 'all', every region) (known: us-east, us-west)\n"
            + "drills/llm.yaml:5: target.dependency: 'lllm' is not a dependency the fault levers reach (did you mean 'llm'?)");
  }

  @Test
  void aDrillMayTargetARoleResolvedAgainstThePlacementWhenItStarts() throws Exception {
    DrillFileReader scoped = new DrillFileReader(new DrillScope(java.util.Set.of("us-east", "us-west"), java.util.Set.of("llm", "db")));
    DrillDefinition active = scoped.read(FILE, VALID.replace("region: us-east", "region: active"));
    DrillDefinition standby = scoped.read(FILE, VALID.replace("region: us-east", "region: standby:1"));

    assertThat(active.targetsByRole()).isTrue();
    assertThatThrownBy(active::proxyName).hasMessageContaining("targets active: resolve it against the placement first");
    assertThat(active.resolvedAgainst(List.of("us-west", "us-east")).proxyName()).isEqualTo("us-west-llm");
    assertThat(standby.resolvedAgainst(List.of("us-west", "us-east")).region()).isEqualTo("us-east");
    assertThat(standby.resolvedAgainst(List.of("us-west", "us-east")).targetsByRole()).isFalse();
    assertThatThrownBy(() -> standby.resolvedAgainst(List.of("us-west")))
        .hasMessage("drill llm-latency targets standby:1, but the placement routes us-west (0 standby)");
    assertThatThrownBy(() -> active.resolvedAgainst(List.of()))
        .hasMessage("drill llm-latency targets active, but the placement routes nowhere (outage mode or no placement yet)");
    DrillDefinition fixed = scoped.read(FILE, VALID);
    assertThat(fixed.resolvedAgainst(List.of("us-west"))).isSameAs(fixed);

    assertThatThrownBy(() -> scoped.read(FILE, VALID.replace("region: us-east", "region: standby:0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("drills/llm.yaml:2: region: must be a region id, 'all', 'active' or 'standby:N' (N from 1)");
  }

  static final String STEPS = """
      then:
        - after: shifted
          region: standby:1
          target: { kind: DB, dependency: db }
          faults: [{ type: down }]
        - after: 5s
          faults: [{ type: latency, latency: 500ms }]
      """;

  @Test
  void readsLaterStepsAndResolvesTheirRoles() throws Exception {
    DrillFileReader scoped = new DrillFileReader(new DrillScope(java.util.Set.of("us-east", "us-west", "eu-west"),
        java.util.Set.of("llm", "db")));
    DrillDefinition drill = scoped.read(FILE, VALID.replace("region: us-east", "region: active") + STEPS);

    assertThat(drill.then()).hasSize(2);
    assertThat(drill.then().get(0).delay()).isEmpty();
    assertThat(drill.then().get(1).delay()).hasValue(Duration.ofSeconds(5));
    DrillDefinition now = drill.resolvedAgainst(List.of("us-west", "eu-west", "us-east"));
    assertThat(now.proxyName()).isEqualTo("us-west-llm");
    assertThat(now.proxyName(now.then().get(0))).isEqualTo("eu-west-db");
    assertThat(now.proxyName(now.then().get(1))).as("the drill's own region and target").isEqualTo("us-west-llm");
  }

  @Test
  void refusesBrokenStepsNamingLineAndField() {
    DrillFileReader scoped = new DrillFileReader(new DrillScope(java.util.Set.of("us-east", "us-west"), java.util.Set.of("llm", "db")));
    String text = VALID + STEPS.replace("after: shifted", "after: soon").replace("region: standby:1", "region: us-wst")
        .replace("dependency: db", "dependency: dbb");
    assertThatThrownBy(() -> scoped.read(FILE, text))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("then[0].after: 'soon' is neither 'shifted', 'in_flight' nor a duration")
        .hasMessageContaining("then[0].region: 'us-wst' is not a region of this deployment (did you mean 'us-west'?)")
        .hasMessageContaining("then[0].target.dependency: 'dbb' is not a dependency the fault levers reach (did you mean 'db'?)");
    assertThatThrownBy(() -> scoped.read(FILE, VALID + STEPS.replace("faults: [{ type: down }]", "faults: []")))
        .hasMessageContaining("then[0].faults: a step needs at least one fault");
  }

  @Test
  void readsAControlPlaneStepAndRefusesOneThatIsHalfWritten() {
    DrillDefinition drill = reader.read(FILE, VALID + "then:\n  - after: in_flight\n    leader: kill\n");
    assertThat(drill.then().get(0).leaderFault()).hasValue(new LeaderFault(LeaderFault.Kind.KILL, true, null));
    DrillDefinition stall = reader.read(FILE, VALID + "then:\n  - after: 5s\n    leader: stall\n    stall: 8s\n");
    assertThat(stall.then().get(0).leaderFault()).hasValue(new LeaderFault(LeaderFault.Kind.STALL, false, Duration.ofSeconds(8)));
    assertThat(stall.then().get(0).leaderFault().orElseThrow().describe()).isEqualTo("SIGSTOP for 8s");

    assertThatThrownBy(() -> reader.read(FILE, VALID + "then:\n  - after: in_flight\n    leader: kil\n"))
        .hasMessageContaining("then[0].leader: must be kill (kill -9 of the leader's process) or stall");
    assertThatThrownBy(() -> reader.read(FILE, VALID + "then:\n  - after: in_flight\n    leader: stall\n"))
        .hasMessageContaining("then[0].stall: is required for leader: stall");
    assertThatThrownBy(() -> reader.read(FILE, VALID + "then:\n  - after: in_flight\n    faults: [{ type: down }]\n"))
        .hasMessageContaining("then[0].after: in_flight is for a control-plane step");
    assertThatThrownBy(() -> reader.read(FILE, VALID + "then:\n  - after: 5s\n    leader: kill\n    faults: [{ type: down }]\n"))
        .hasMessageContaining("then[0].faults: a control-plane step (leader: kill) has no faults");
  }

  @Test
  void refusesADrillWithoutFaults() {
    String text = VALID.replaceAll("(?s)faults:.*?duration:", "faults: []\nduration:");

    assertThatThrownBy(() -> reader.read(FILE, text))
        .isInstanceOf(ConfigException.class)
        .hasMessage("drills/llm.yaml:6: faults: a drill needs at least one fault");
  }

  @Test
  void refusesAnEmptyFile() {
    assertThatThrownBy(() -> reader.read(FILE, "# nothing but a comment\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("drills/llm.yaml:1: the file is empty");
  }
}
