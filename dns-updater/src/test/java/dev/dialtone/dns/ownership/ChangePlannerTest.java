package dev.dialtone.dns.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.dns.provider.ChangeSet;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import dev.dialtone.dns.record.RecordType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangePlannerTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final String V = "voice.example.com.";
  private static final RecordKey A = new RecordKey(V, RecordType.A);
  private static final RecordKey AAAA = new RecordKey(V, RecordType.AAAA);
  private static final RecordSet EAST = RecordSet.of(V, RecordType.A, TTL, List.of("203.0.113.10"));
  private static final RecordSet WEST = RecordSet.of(V, RecordType.A, TTL, List.of("198.51.100.20"));
  private static final RecordSet V6 = RecordSet.of(V, RecordType.AAAA, TTL, List.of("2001:db8::10"));
  private final ChangePlanner planner = new ChangePlanner("acme", List.of(V), List.of(A, AAAA), TTL);

  private static RecordSet owner(String deployment, long epoch) {
    return new RecordSet(OwnerRecord.keyFor(V), TTL, List.of(new OwnerRecord(deployment, epoch).txtData()));
  }

  private static ZoneSnapshot zone(RecordSet... sets) {
    return new ZoneSnapshot(Arrays.stream(sets).collect(Collectors.toMap(RecordSet::key, Function.identity())));
  }

  static Stream<Arguments> cases() {
    RecordSet garbage = new RecordSet(OwnerRecord.keyFor(V), TTL, List.of("\"hello\""));
    return Stream.of(
        Arguments.of("fresh name is claimed", zone(), 3L, "Apply", "changing [voice.example.com. A] under epoch 3"),
        Arguments.of("same data, same epoch: nothing to do", zone(WEST, owner("acme", 3)), 3L, "UpToDate",
            "zone already holds the desired records under epoch 3"),
        Arguments.of("same data, newer epoch: ownership moves", zone(WEST, owner("acme", 3)), 4L, "Apply",
            "records already as desired; ownership moves to epoch 4"),
        Arguments.of("shift and drop AAAA", zone(EAST, V6, owner("acme", 3)), 4L, "Apply",
            "changing [voice.example.com. A, -voice.example.com. AAAA] under epoch 4"),
        Arguments.of("stale epoch is fenced", zone(EAST, owner("acme", 7)), 4L, "Fenced",
            "voice.example.com. is owned by epoch 7, newer than 4"),
        Arguments.of("another deployment's name is foreign", zone(EAST, owner("globex", 1)), 9L, "Foreign",
            "voice.example.com. is owned by [\"dialtone deployment=globex epoch=1\"], not deployment acme: left untouched"),
        Arguments.of("unreadable owner text is foreign", zone(EAST, garbage), 9L, "Foreign",
            "voice.example.com. is owned by [\"hello\"], not deployment acme: left untouched"),
        Arguments.of("data without an owner is foreign", zone(EAST), 9L, "Foreign",
            "voice.example.com. holds [voice.example.com. A] but no ownership record: not Dialtone's, left untouched"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesWithAReason(String why, ZoneSnapshot current, long epoch, String kind, String reason) {
    ChangePlan plan = planner.plan(current, Map.of(A, WEST), epoch);
    assertThat(plan.getClass().getSimpleName()).isEqualTo(kind);
    assertThat(plan.reason()).isEqualTo(reason);
  }

  @Test
  void theChangeIsGuardedByTheOwnersExactCurrentValue() {
    ChangePlan plan = planner.plan(zone(EAST, V6, owner("acme", 3)), Map.of(A, WEST), 4);
    ChangeSet change = ((ChangePlan.Apply) plan).change();
    assertThat(change.preconditions()).containsExactly(new Precondition(OwnerRecord.keyFor(V), owner("acme", 3)));
    assertThat(change.upserts()).containsExactly(owner("acme", 4), WEST);
    assertThat(change.deletes()).containsExactly(V6);
  }

  @Test
  void aFreshClaimRequiresTheOwnerToBeAbsent() {
    ChangeSet change = ((ChangePlan.Apply) planner.plan(zone(), Map.of(A, WEST), 1)).change();
    assertThat(change.preconditions()).containsExactly(new Precondition(OwnerRecord.keyFor(V), null));
  }

  @Test
  void ownerTextRoundTripsAndRejectsLookAlikes() {
    OwnerRecord o = new OwnerRecord("acme-voice", 17);
    assertThat(o.txtData()).isEqualTo("\"dialtone deployment=acme-voice epoch=17\"");
    assertThat(OwnerRecord.parse(o.txtData())).contains(o);
    assertThat(OwnerRecord.parse("dialtone deployment=acme-voice epoch=17")).contains(o);
    assertThat(OwnerRecord.parse("\"dialtone deployment=acme-voice epoch=17 extra\"")).isEmpty();
    assertThat(OwnerRecord.parse("\"heritage=external-dns,external-dns/owner=default\"")).isEmpty();
    assertThat(OwnerRecord.keyFor("_sip._udp.voice.example.com.").name()).isEqualTo("_dialtone-owner._sip._udp.voice.example.com.");
  }
}
