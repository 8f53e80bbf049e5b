package dev.dialtone.chaos.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.chaos.drill.DependencyKind;
import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillTarget;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.testing.TestDrills;
import dev.dialtone.chaos.zookeeper.ChaosJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PacketFilterSwitchTest {
  /** Remembers the rules it was asked for; enough to test the pure choices above the seam. */
  private static final class ListedRules implements PacketFilter {
    final List<String> rules = new ArrayList<>();
    final boolean netem;

    ListedRules(boolean netem) {
      this.netem = netem;
    }

    @Override
    public void drop(Protocol protocol, int port, String tag) {
      rules.add("drop " + protocol + " " + port + " " + tag);
    }

    @Override
    public void reject(Protocol protocol, int port, String tag) {
      rules.add("reject " + protocol + " " + port + " " + tag);
    }

    @Override
    public void remove(String tag) {
      rules.removeIf(r -> r.endsWith(" " + tag));
    }

    @Override
    public boolean netemAvailable() {
      return netem;
    }
  }

  private static final Fault BLACKHOLE = new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0);
  private static final Fault LATENCY = new Fault.Latency(Duration.ofMillis(200), null, null, null);
  private final PacketFilterPath carrier = new PacketFilterPath("us-east-carrier", PacketFilter.Protocol.UDP, 5060, new ListedRules(false));

  private static DrillDefinition carrierDrill(List<Fault> faults) {
    DrillDefinition d = TestDrills.llmTimeout();
    return new DrillDefinition("carrier-udp", "us-east", new DrillTarget(DependencyKind.CARRIER, "carrier"), faults,
        d.duration(), d.expectations(), d.guardrails(), null);
  }

  @Test
  void downRejectsAndTimeoutDropsWhateverItsDuration() {
    assertThat(PacketFilterSwitch.verdict(new Fault.Down())).contains(PacketFilterSwitch.Verdict.REJECT);
    assertThat(PacketFilterSwitch.verdict(BLACKHOLE)).contains(PacketFilterSwitch.Verdict.DROP);
    assertThat(PacketFilterSwitch.verdict(new Fault.Timeout(Duration.ofSeconds(5), Direction.UPSTREAM, 1.0)))
        .contains(PacketFilterSwitch.Verdict.DROP);
    assertThat(PacketFilterSwitch.verdict(LATENCY)).isEmpty();
    assertThat(PacketFilterSwitch.verdict(new Fault.ResetPeer(Duration.ZERO, null, null))).isEmpty();
    assertThat(PacketFilterSwitch.verdict(new Fault.Bandwidth(1L, null, null))).isEmpty();
    assertThat(PacketFilterSwitch.verdict(new Fault.Slicer(10L, null, null, null, null))).isEmpty();
  }

  @Test
  void anythingElseIsRefusedNamingTheDrillTheFaultAndWhy() {
    assertThat(PacketFilterSwitch.refusal("drill carrier-udp", 1, LATENCY, carrier))
        .contains("drill carrier-udp: faults[1] 'latency' on packet-filter path us-east-carrier (UDP port 5060) is not"
            + " possible: a packet filter only rejects ('down') or drops ('timeout'); latency, loss and bandwidth on a"
            + " UDP path need the tc netem qdisc, which this host's kernel lacks");
    PacketFilterPath withNetem = new PacketFilterPath("us-east-carrier", PacketFilter.Protocol.UDP, 5060, new ListedRules(true));
    assertThat(PacketFilterSwitch.refusal("drill x", 0, LATENCY, withNetem).orElseThrow())
        .endsWith("need tc netem, which this lever does not drive yet");
    assertThat(PacketFilterSwitch.refusal("drill x", 0, new Fault.Timeout(Duration.ZERO, null, 0.5), carrier).orElseThrow())
        .contains("'timeout'")
        .contains("toxicity 0.5")
        .contains("every packet to the port or none");
    assertThat(PacketFilterSwitch.refusal("drill x", 0, new Fault.Down(), carrier)).isEmpty();
  }

  @Test
  void drillsAreCheckedOnlyWhenTheirTargetIsAPacketFilterPath() {
    PacketFilterPaths paths = new PacketFilterPaths();
    paths.register(carrier);
    PacketFilterSwitch lever = new PacketFilterSwitch(paths, null, null, null);

    assertThat(lever.refusals(carrierDrill(List.of(BLACKHOLE, LATENCY, new Fault.Down()))))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("drill carrier-udp: faults[1] 'latency' on packet-filter path us-east-carrier");
    assertThat(lever.refusals(TestDrills.llmTimeout())).as("us-east-llm is Toxiproxy's").isEmpty();
    DrillDefinition onTheActive = carrierDrill(List.of(LATENCY));
    onTheActive = new DrillDefinition(onTheActive.name(), DrillDefinition.ACTIVE, onTheActive.target(), onTheActive.faults(),
        onTheActive.duration(), onTheActive.expectations(), onTheActive.guardrails(), null);
    assertThat(lever.refusals(onTheActive)).as("a role may resolve to any region: its paths are all checked")
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("drill carrier-udp: faults[0] 'latency' on packet-filter path us-east-carrier");
    assertThat(lever.handles("us-east-carrier")).isTrue();
    assertThat(lever.handles("us-east-llm")).isFalse();
  }

  @Test
  void aRefusedRunTouchesNeitherTheLedgerNorTheFilter() {
    PacketFilterPaths paths = new PacketFilterPaths();
    paths.register(carrier);
    // A null ledger and live-run marker: any use of them would throw a NullPointerException.
    PacketFilterSwitch lever = new PacketFilterSwitch(paths, null, null, null);

    assertThatThrownBy(() -> lever.inject("carrier-udp-manual-1", 3, "us-east-carrier", List.of(BLACKHOLE, LATENCY)))
        .isInstanceOfSatisfying(FaultException.class, e -> assertThat(e.failure()).isEqualTo(FaultException.Failure.PERMANENT))
        .hasMessageStartingWith("drill run carrier-udp-manual-1: faults[1] 'latency'")
        .hasMessageContaining("netem");
    assertThatThrownBy(() -> lever.inject("carrier-udp-manual-1", 3, "eu-west-carrier", List.of(BLACKHOLE)))
        .hasMessage("drill run carrier-udp-manual-1: no packet-filter path 'eu-west-carrier' (registered: [us-east-carrier])");
    assertThat(((ListedRules) carrier.filter()).rules).isEmpty();
  }

  @Test
  void eachLeverRefusesToHealTheOthersRecords() {
    ToxicRecord rule = new ToxicRecord("r-0", "us-east-carrier", "dialtone-r-0", "timeout", "r", 1, Instant.EPOCH,
        ToxicRecord.PACKET_FILTER);
    ToxicRecord toxic = new ToxicRecord("t-0", "us-east-llm", "dialtone-t-0", "timeout", "t", 1, Instant.EPOCH);
    // Toxiproxy is never reached: the lever is checked first.
    FaultInjector injector = new FaultInjector(null, null, null, null);
    PacketFilterSwitch lever = new PacketFilterSwitch(new PacketFilterPaths(), null, null, null);

    assertThatThrownBy(() -> injector.heal(rule)).hasMessageContaining("packet-filter lever, not Toxiproxy");
    assertThatThrownBy(() -> lever.heal(toxic)).hasMessageContaining("toxiproxy lever, not a packet filter");
    assertThatThrownBy(() -> lever.heal(rule))
        .isInstanceOfSatisfying(FaultException.class, e -> assertThat(e.failure()).isEqualTo(FaultException.Failure.PERMANENT))
        .hasMessageContaining("no packet-filter path 'us-east-carrier' registered here");
  }

  @Test
  void recordsWrittenBeforeLeversReadAsToxiproxyAndTheLeverRoundTrips() throws Exception {
    ObjectMapper json = ChaosJson.mapper();
    ToxicRecord old = json.readValue("""
        {"id":"r-0","proxy":"us-east-llm","toxic":"dialtone-r-0","type":"timeout","runId":"r","epoch":2,
         "injectedAt":"2025-01-01T00:00:00Z"}""", ToxicRecord.class);
    assertThat(old.lever()).isEqualTo(ToxicRecord.TOXIPROXY);

    ToxicRecord rule = new ToxicRecord("r-0", "us-east-carrier", "dialtone-r-0", "down", "r", 2, Instant.EPOCH,
        ToxicRecord.PACKET_FILTER);
    assertThat(json.readValue(json.writeValueAsBytes(rule), ToxicRecord.class)).isEqualTo(rule);
  }

  @Test
  void pathsAreValidatedAndRegisteredOnce() {
    PacketFilterPaths paths = new PacketFilterPaths();
    paths.register(carrier);
    assertThatThrownBy(() -> paths.register(carrier)).hasMessageContaining("us-east-carrier is already registered");
    assertThatThrownBy(() -> new PacketFilterPath("us east", PacketFilter.Protocol.UDP, 5060, carrier.filter()))
        .hasMessageContaining("packet-filter path name 'us east'");
    assertThatThrownBy(() -> new PacketFilterPath("us-east-carrier", PacketFilter.Protocol.UDP, 0, carrier.filter()))
        .hasMessageContaining("port of packet-filter path us-east-carrier must be 1..65535, not 0");
    paths.unregister("us-east-carrier");
    assertThat(paths.find("us-east-carrier")).isEqualTo(Optional.empty());
  }
}
