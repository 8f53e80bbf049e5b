package dev.dialtone.carrier.kamailio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.actuation.calls.CallCounts;
import dev.dialtone.actuation.calls.CallCounts.Destination;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.fallback.RingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallCountNamesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  // The shape of Kamailio 5.6's "htable.dump dialtone_calls" answer, as the IT reads it.
  private static final String DUMP = """
      [{"entry":13,"size":2,"slot":[
         {"name":"answered:127.0.0.1:5090","value":4,"type":"int"},
         {"name":"routed:sip:uas@127.0.0.1:5090;transport=udp","value":5,"type":"int"}]},
       {"entry":20,"size":1,"slot":[{"name":"routed:sip:vm@127.0.0.1:5092","value":3,"type":"int"}]},
       {"entry":21,"size":1,"slot":[{"name":"answered:127.0.0.1:5092","value":3,"type":"int"}]},
       {"entry":22,"size":1,"slot":[{"name":"routed:sip:+15551230000@127.0.0.1:5094","value":1,"type":"int"}]},
       {"entry":23,"size":1,"slot":[{"name":"routed:sip:stranger@127.0.0.1:5099","value":2,"type":"int"}]},
       {"entry":24,"size":1,"slot":[{"name":"answered:10.0.0.9:5060","value":1,"type":"int"}]},
       {"entry":30,"size":1,"slot":[{"name":"failed","value":2,"type":"int"}]}]
      """;

  @Test
  void regionsByIdFallbacksByKindAnswersByAddressTheRestByWhatKamailioKnows() throws Exception {
    FallbackPlan plan = new FallbackPlan(List.of(FallbackDestination.voicemail("sip:vm@127.0.0.1:5092")),
        Map.of("+15557654321", List.of(FallbackDestination.pstn("+15551230000"))), RingMode.SEQUENTIAL, "127.0.0.1:5094");
    CallCountNames names = CallCountNames.of(plan);
    names.name("sip:uas@127.0.0.1:5090;transport=udp", "us-east");

    CallCounts counts = names.counts(JSON.readTree(DUMP));

    assertThat(counts.destinations()).containsExactly(
        Map.entry("10.0.0.9:5060", new Destination(0, 1)),
        Map.entry("pstn", new Destination(1, 0)),
        Map.entry("sip:stranger@127.0.0.1:5099", new Destination(2, 0)),
        Map.entry("us-east", new Destination(5, 4)),
        Map.entry("voicemail", new Destination(3, 3)));
    assertThat(counts.failed()).isEqualTo(2);
  }

  @Test
  void anEmptyTableCountsNothing() throws Exception {
    assertThat(new CallCountNames().counts(JSON.readTree("[]"))).isEqualTo(CallCounts.NONE);
  }

  @Test
  void kindsAreNamedInLowerCaseWithDashes() {
    assertThat(CallCountNames.kindName(FallbackDestination.Kind.ANSWERING_SERVICE)).isEqualTo("answering-service");
    assertThat(CallCountNames.address("sips:answer@127.0.0.1;transport=tls")).hasValue("127.0.0.1:5061");
  }
}
