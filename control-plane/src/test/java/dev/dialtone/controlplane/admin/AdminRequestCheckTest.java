package dev.dialtone.controlplane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.proto.v1.RegionEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the admin service refuses before it touches the state store, and how it names the field. */
class AdminRequestCheckTest {
  @Test
  void aPageSizeOfZeroIsTheDefaultAndOneTo500IsKept() {
    assertThat(AdminGrpcService.historyPageSize(0)).isEqualTo(50);
    assertThat(AdminGrpcService.historyPageSize(1)).isEqualTo(1);
    assertThat(AdminGrpcService.historyPageSize(500)).isEqualTo(500);
  }

  @Test
  void aPageSizeAbove500OrANegativeInt32SentAsUint32IsRefused() {
    assertThatThrownBy(() -> AdminGrpcService.historyPageSize(501))
        .hasMessage("page_size must be 1..500 (0 for the default 50): 501");
    // A client that sent -5 into the uint32 field: Java sees -5, the wire said 4294967291.
    assertThatThrownBy(() -> AdminGrpcService.historyPageSize(-5))
        .hasMessage("page_size must be 1..500 (0 for the default 50): 4294967291");
  }

  @Test
  void onlyATokenTheServiceHandsOutIsAccepted() {
    assertThat(AdminGrpcService.historyPageToken("")).isEmpty();
    assertThat(AdminGrpcService.historyPageToken("e-0000000042")).isEqualTo("e-0000000042");
    assertThatThrownBy(() -> AdminGrpcService.historyPageToken("garbage"))
        .hasMessageStartingWith("page_token is not one this service handed out").hasMessageEndingWith(": garbage");
    assertThatThrownBy(() -> AdminGrpcService.historyPageToken("x".repeat(5000)))
        .hasMessageEndingWith("x".repeat(40) + "…");
  }

  @Test
  void aWellFormedEdgePasses() {
    AdminGrpcService.checkEdge(RegionEdge.newBuilder().addIpv4("192.0.2.30").addIpv6("2001:db8::30")
        .setSipUri("sip:edge.eu-west.example.com:5060").setCname("edge.eu-west.example.com.").build());
    AdminGrpcService.checkEdge(RegionEdge.newBuilder().addIpv4("192.0.2.30").build());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ipv4|999.1.1.1|edge.ipv4[0] is not an IPv4 address: 999.1.1.1",
      "ipv4|2001:db8::1|edge.ipv4[0] is not an IPv4 address: 2001:db8::1",
      "ipv6|192.0.2.1|edge.ipv6[0] is not an IPv6 address: 192.0.2.1",
      "sip|notsip|edge.sip_uri must be a sip: or sips: URI with a host (e.g. sip:edge.example.com:5060): notsip",
      "sip|sip:|edge.sip_uri must be a sip: or sips: URI with a host (e.g. sip:edge.example.com:5060): sip:",
      "cname|1.2.3.4|edge.cname must be a DNS name (e.g. edge.us-east.example.com.): 1.2.3.4",
      "cname|no spaces.example|edge.cname must be a DNS name (e.g. edge.us-east.example.com.): no spaces.example"})
  void aMalformedFieldIsRefusedByName(String field, String value, String message) {
    RegionEdge.Builder b = RegionEdge.newBuilder();
    switch (field) {
      case "ipv4" -> b.addIpv4(value);
      case "ipv6" -> b.addIpv6(value);
      case "sip" -> b.addIpv4("192.0.2.30").setSipUri(value);
      default -> b.addIpv4("192.0.2.30").setCname(value);
    }
    assertThatThrownBy(() -> AdminGrpcService.checkEdge(b.build())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
