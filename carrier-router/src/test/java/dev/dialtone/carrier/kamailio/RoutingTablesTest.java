package dev.dialtone.carrier.kamailio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.carrier.kamailio.RoutingTables.Destination;
import dev.dialtone.carrier.kamailio.RoutingTables.DispatcherRow;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The rows Dialtone writes to Kamailio's dispatcher and dialtone_htable tables. */
class RoutingTablesTest {
  @Test
  void prioritiesDescendInRoutingOrderWithOwnershipInEveryRow() {
    RoutingTables tables = new RoutingTables(17, "plan-9", false, List.of(
        new Destination("us-west", "sip:edge.us-west.example.com:5060"),
        new Destination("us-east", "sip:edge.us-east.example.com:5060;transport=tcp")));

    assertThat(tables.dispatcherRows(3)).containsExactly(
        new DispatcherRow(3, "sip:edge.us-west.example.com:5060", 2, "duid=us-west;role=region;epoch=17;plan=plan-9", "dialtone set 3"),
        new DispatcherRow(3, "sip:edge.us-east.example.com:5060;transport=tcp", 1, "duid=us-east;role=region;epoch=17;plan=plan-9",
            "dialtone set 3"));
    assertThat(tables.htable(3)).containsExactly(Map.entry("outbound_blocked", 0), Map.entry("ring_parallel", 0));
  }

  @Test
  void outageRowsNumberTheFallbackDestinationsInOrderAndBlockOutbound() {
    RoutingTables tables = new RoutingTables(4, "p", true, true,
        RoutingTables.fallbackDestinations(List.of("sip:q@pbx", "sip:+15551230000@gw:5060")), new TreeMap<>());

    assertThat(tables.dispatcherRows(1)).extracting(DispatcherRow::destination, DispatcherRow::priority, DispatcherRow::attrs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sip:q@pbx", 2, "duid=fallback-1;role=fallback;epoch=4;plan=p"),
            org.assertj.core.groups.Tuple.tuple("sip:+15551230000@gw:5060", 1, "duid=fallback-2;role=fallback;epoch=4;plan=p"));
    assertThat(tables.htable(1)).containsExactly(Map.entry("outbound_blocked", 1), Map.entry("ring_parallel", 1));
  }

  @Test
  void parallelRingingIsForOutageModeOnly() {
    RoutingTables routed = new RoutingTables(4, "p", false, true, List.of(new Destination("us-east", "sip:e")), new TreeMap<>());

    assertThat(routed.ringParallel()).isFalse();
    assertThat(routed.htable(1)).containsEntry("ring_parallel", 0);
  }

  @Test
  void numbersWithTheirOwnChainGetTheFollowingSetsInNumberOrder() {
    TreeMap<String, List<Destination>> perNumber = new TreeMap<>(Map.of(
        "+15559990000", List.of(new Destination("fallback-1", "sip:vm@pbx")),
        "+15551110000", List.of(new Destination("fallback-1", "sip:desk@pbx"))));
    RoutingTables tables = new RoutingTables(4, "p", true, false, List.of(new Destination("fallback-1", "sip:q@pbx")), perNumber);

    assertThat(tables.numberSets(5)).containsExactly(Map.entry("+15551110000", 6), Map.entry("+15559990000", 7));
    assertThat(tables.lastSet(5)).isEqualTo(7);
    assertThat(tables.dispatcherRows(5)).extracting(DispatcherRow::setId, DispatcherRow::attrs, DispatcherRow::description).containsExactly(
        org.assertj.core.groups.Tuple.tuple(5, "duid=fallback-1;role=fallback;epoch=4;plan=p", "dialtone set 5"),
        org.assertj.core.groups.Tuple.tuple(6, "duid=fallback-1;role=fallback;epoch=4;plan=p;did=+15551110000", "dialtone set 5"),
        org.assertj.core.groups.Tuple.tuple(7, "duid=fallback-1;role=fallback;epoch=4;plan=p;did=+15559990000", "dialtone set 5"));
    assertThat(tables.htable(5)).containsExactly(
        Map.entry("did:+15551110000", 6), Map.entry("did:+15559990000", 7), Map.entry("outbound_blocked", 1), Map.entry("ring_parallel", 0));
  }

  @Test
  void rowsKamailiosColumnsCannotHoldAreRefused() {
    RoutingTables tables = new RoutingTables(4, "p".repeat(64), false, List.of(new Destination("r".repeat(63), "sip:e")));

    assertThatThrownBy(() -> tables.dispatcherRows(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than Kamailio's 128 characters");
  }

  @Test
  void parsesAttributes() {
    assertThat(RoutingTables.parseAttributes("duid=us-east;epoch=3;junk;plan=p-1"))
        .containsExactly(Map.entry("duid", "us-east"), Map.entry("epoch", "3"), Map.entry("plan", "p-1"));
    assertThat(RoutingTables.parseAttributes(null)).isEmpty();
  }
}
