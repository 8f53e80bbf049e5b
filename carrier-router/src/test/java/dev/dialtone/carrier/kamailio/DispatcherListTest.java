package dev.dialtone.carrier.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.carrier.kamailio.DispatcherList.Destination;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatcherListTest {
  @Test
  void rendersTheHeaderAndDescendingPrioritiesWithOwnershipInEveryDestination() {
    DispatcherList list = new DispatcherList(17, "plan-9", false, List.of(
        new Destination("us-west", "sip:edge.us-west.example.com:5060"),
        new Destination("us-east", "sip:edge.us-east.example.com:5060;transport=tcp")));

    assertThat(list.render(3)).isEqualTo("""
        # dialtone carrier routing: epoch=17 plan=plan-9 mode=routed
        # written by dialtone; priorities descend in routing order (dispatcher algorithm 8)
        3 sip:edge.us-west.example.com:5060 0 2 duid=us-west;role=region;epoch=17;plan=plan-9
        3 sip:edge.us-east.example.com:5060;transport=tcp 0 1 duid=us-east;role=region;epoch=17;plan=plan-9
        """);
  }

  @Test
  void outageListNumbersTheFallbackDestinationsInOrder() {
    DispatcherList list = new DispatcherList(4, "p", true,
        DispatcherList.fallbackDestinations(List.of("sip:q@pbx", "sip:+15551230000@gw:5060")));

    assertThat(list.render(1)).contains(
        "1 sip:q@pbx 0 2 duid=fallback-1;role=fallback;epoch=4;plan=p\n",
        "1 sip:+15551230000@gw:5060 0 1 duid=fallback-2;role=fallback;epoch=4;plan=p\n");
  }

  @Test
  void numbersWithTheirOwnChainGetTheFollowingSetsInNumberOrder() {
    java.util.TreeMap<String, List<Destination>> perNumber = new java.util.TreeMap<>(java.util.Map.of(
        "+15559990000", List.of(new Destination("fallback-1", "sip:vm@pbx")),
        "+15551110000", List.of(new Destination("fallback-1", "sip:desk@pbx"))));
    DispatcherList list = new DispatcherList(4, "p", true, List.of(new Destination("fallback-1", "sip:q@pbx")), perNumber);

    assertThat(list.numberSets(5)).containsExactly(java.util.Map.entry("+15551110000", 6), java.util.Map.entry("+15559990000", 7));
    assertThat(list.render(5)).endsWith("""
        5 sip:q@pbx 0 1 duid=fallback-1;role=fallback;epoch=4;plan=p
        6 sip:desk@pbx 0 1 duid=fallback-1;role=fallback;epoch=4;plan=p;did=+15551110000
        7 sip:vm@pbx 0 1 duid=fallback-1;role=fallback;epoch=4;plan=p;did=+15559990000
        """);
  }

  @Test
  void headerRoundTripsAndIsEmptyForAForeignFile() {
    String text = new DispatcherList(17, "plan-9", true, List.of()).render(1);

    assertThat(DispatcherList.header(text)).isEqualTo(new DispatcherList.Header(17, "plan-9", true));
    assertThat(DispatcherList.header("1 sip:a@b 0 1\n")).isEqualTo(new DispatcherList.Header(0, "", false));
  }

  @Test
  void parsesAttributes() {
    assertThat(DispatcherList.parseAttributes("duid=us-east;epoch=3;junk;plan=p-1"))
        .containsExactly(
            java.util.Map.entry("duid", "us-east"), java.util.Map.entry("epoch", "3"), java.util.Map.entry("plan", "p-1"));
    assertThat(DispatcherList.parseAttributes(null)).isEmpty();
  }
}
