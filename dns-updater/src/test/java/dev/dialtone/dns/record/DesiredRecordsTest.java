package dev.dialtone.dns.record;

import static dev.dialtone.dns.Fixtures.EAST;
import static dev.dialtone.dns.Fixtures.EU;
import static dev.dialtone.dns.Fixtures.MAINTENANCE;
import static dev.dialtone.dns.Fixtures.WEST;
import static dev.dialtone.dns.Fixtures.routed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class DesiredRecordsTest {
  private static final String V = "voice.example.com.";
  private static final String SIP = "_sip._udp.voice.example.com.";
  private static final List<ManagedRecord> RECORDS =
      List.of(
          new ManagedRecord(V, RecordType.A, null),
          new ManagedRecord(V, RecordType.AAAA, null),
          new ManagedRecord(SIP, RecordType.SRV, Duration.ofSeconds(60)));
  private final DesiredRecords desired = new DesiredRecords(RECORDS, List.of(MAINTENANCE));

  static Stream<Arguments> placements() {
    return Stream.of(
        Arguments.of("east active, west standby", routed(EAST, WEST), Map.of(
            V + " A", "[203.0.113.10]",
            V + " AAAA", "[2001:db8:0:0:0:0:0:10]",
            SIP + " SRV", "[10 0 5060 edge.us-east.example.net., 20 0 5070 edge.us-west.example.net.]")),
        Arguments.of("west active: no IPv6, so AAAA is removed", routed(WEST, EAST, EU), Map.of(
            V + " A", "[198.51.100.20]",
            SIP + " SRV", "[10 0 5070 edge.us-west.example.net., 20 0 5060 edge.us-east.example.net., 30 0 5061 edge.eu-west.example.net.]")),
        Arguments.of("eu alone: two addresses, sips default port", routed(EU), Map.of(
            V + " A", "[192.0.2.30, 192.0.2.31]",
            V + " AAAA", "[2001:db8:0:0:0:0:0:30]",
            SIP + " SRV", "[10 0 5061 edge.eu-west.example.net.]")),
        Arguments.of("outage: the maintenance targets", new TrafficTarget.Outage(), Map.of(
            V + " A", "[192.0.2.250]",
            SIP + " SRV", "[10 0 5060 pbx.example.net.]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("placements")
  void computesTheExactRrsets(String why, TrafficTarget target, Map<String, String> expected) {
    Map<String, String> got =
        desired.compute(target).values().stream().collect(Collectors.toMap(s -> s.key().toString(), s -> s.data().toString()));
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void carriesEachRecordsTtlWithThirtySecondsByDefault() {
    Map<RecordKey, RecordSet> got = desired.compute(routed(EAST));
    assertThat(got.get(new RecordKey(V, RecordType.A)).ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(got.get(new RecordKey(SIP, RecordType.SRV)).ttl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void cnameFollowsTheActiveRegion() {
    RegionEdge withCname = new RegionEdge("us-east", List.of(), List.of(), null, "edge.us-east.example.net");
    DesiredRecords cname = new DesiredRecords(List.of(new ManagedRecord("www.example.com.", RecordType.CNAME, null)), List.of());
    assertThat(cname.compute(routed(withCname)).values())
        .singleElement()
        .satisfies(s -> assertThat(s.data()).containsExactly("edge.us-east.example.net."));
  }

  @Test
  void refusesAnEmptyAnswerNamingTheRecord() {
    RegionEdge sipOnly = new RegionEdge("sip-only", List.of(), List.of(), URI.create("sip:edge.x.example.net"), null);
    assertThatThrownBy(() -> desired.compute(routed(sipOnly)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing an empty answer: voice.example.com.")
        .hasMessageContaining("sip-only has no data for [A, AAAA]");
  }

  @Test
  void refusesOutageModeWithoutFallbackTargets() {
    assertThatThrownBy(() -> new DesiredRecords(RECORDS, List.of()).compute(new TrafficTarget.Outage()))
        .hasMessageContaining("no fallback targets are configured (dns.fallback)");
  }

  @Test
  void sipTargetsParseUserParametersAndDefaults() {
    assertThat(SipTarget.of(URI.create("sip:support@PBX.Example.net:5080;transport=udp")))
        .isEqualTo(new SipTarget("pbx.example.net.", 5080));
    assertThat(SipTarget.of(URI.create("sips:edge.example.net"))).isEqualTo(new SipTarget("edge.example.net.", 5061));
    assertThatThrownBy(() -> SipTarget.of(URI.create("sip:192.0.2.1:5060"))).hasMessageContaining("needs a host name");
    assertThatThrownBy(() -> SipTarget.of(URI.create("http://x.example.net"))).hasMessageContaining("not a SIP URI");
  }

  @Test
  void recordSetsNormalizeSoEqualContentComparesEqual() {
    RecordSet a = RecordSet.of("Voice.Example.com.", RecordType.AAAA, Duration.ofSeconds(30), List.of("2001:DB8::1", "2001:db8:0:0:0:0:0:1"));
    RecordSet b = RecordSet.of("voice.example.com.", RecordType.AAAA, Duration.ofSeconds(30), List.of("2001:db8:0:0:0:0:0:1"));
    assertThat(a).isEqualTo(b);
    assertThatThrownBy(() -> RecordSet.of("v.example.com.", RecordType.A, Duration.ofSeconds(30), List.of("2001:db8::1")))
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> RecordSet.of("v.example.com.", RecordType.A, Duration.ofSeconds(30), List.of("edge.example.com")))
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> new RecordKey("relative.example.com", RecordType.A)).hasMessageContaining("absolute");
  }
}
