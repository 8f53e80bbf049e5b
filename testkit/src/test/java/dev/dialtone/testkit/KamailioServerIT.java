package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.peers.kamailio.KamailioServer;
import dev.dialtone.peers.sipp.SippUac;
import dev.dialtone.peers.sipp.SippUas;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KamailioServerIT {
  @RegisterExtension @Order(1) static final PeerExtension<SippUas> east = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(2) static final PeerExtension<SippUas> west = PeerExtension.of(SippUas::new);

  @RegisterExtension
  @Order(3)
  static final PeerExtension<KamailioServer> kamailio =
      PeerExtension.of(dir -> new KamailioServer(dir, 7, List.of(east.peer().sipUri(), west.peer().sipUri())));

  @TempDir Path uacDir;

  @Test
  void answersJsonRpcOverHttpWithTheSetLoadedFromItsDatabase() throws Exception {
    String list = kamailio.peer().rpc("dispatcher.list");

    assertThat(kamailio.peer().rpc("core.version")).contains("kamailio 5.");
    assertThat(list).contains("\"ID\":7").contains(east.peer().sipUri()).contains(west.peer().sipUri());
    assertThat(kamailio.peer().rpcUrl()).startsWith("http://127.0.0.1:").endsWith("/RPC");
    assertThat(kamailio.peer().jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/kamailio");
  }

  @Test
  void refusesJsonRpcWithoutTheBearerToken() throws Exception {
    HttpResponse<String> none = kamailio.peer().rpcAs(null, "core.version");
    HttpResponse<String> wrong = kamailio.peer().rpcAs("Bearer " + "0".repeat(64), "core.version");
    HttpResponse<String> basic = kamailio.peer().rpcAs("Basic " + kamailio.peer().rpcToken(), "core.version");

    assertThat(List.of(none.statusCode(), wrong.statusCode(), basic.statusCode())).containsOnly(401);
    assertThat(none.body() + wrong.body() + basic.body()).doesNotContain("kamailio 5.");
    assertThat(kamailio.peer().rpcAs("Bearer " + kamailio.peer().rpcToken(), "core.version").statusCode()).isEqualTo(200);
  }

  @Test
  void runsTheShippedRoutingFileAndWritesOnlyTheLocalInclude() throws Exception {
    Path dir = kamailio.peer().configFile().getParent();

    assertThat(Files.readString(dir.resolve("dialtone-routing.cfg")))
        .isEqualTo(Files.readString(Path.of("..", "deploy", "kamailio", "dialtone-routing.cfg")));
    assertThat(Files.readString(dir.resolve("kamailio.cfg")))
        .isEqualTo(Files.readString(Path.of("..", "deploy", "kamailio", "kamailio.cfg")));
    assertThat(Files.readString(dir.resolve("dialtone-local.cfg"))).contains("DIALTONE_DB_URL", "DIALTONE_RPC_TOKEN");
  }

  @Test
  @Order(2)
  void routesInvitesToThePriorityOneDestination() {
    long eastBefore = east.peer().answeredCalls();
    long westBefore = west.peer().answeredCalls();

    SippUac.Result result = new SippUac(uacDir).call(kamailio.peer().sipPort(), 10, 50, Duration.ofSeconds(30));

    assertThat(result.placed()).isEqualTo(10);
    assertThat(result.failed()).isZero();
    assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore + 10);
    assertThat(west.peer().answeredCalls()).isEqualTo(westBefore);
  }

  @Test
  @Order(3)
  void failsOverToTheNextDestinationWhenTheFirstAnswers503() {
    long westBefore = west.peer().answeredCalls();
    east.peer().setMode(SippUas.Mode.SERVICE_UNAVAILABLE);
    try {
      SippUac.Result result = new SippUac(uacDir).call(kamailio.peer().sipPort(), 5, 20, Duration.ofSeconds(30));

      assertThat(result.failed()).isZero();
      assertThat(west.peer().answeredCalls()).isEqualTo(westBefore + 5);
    } finally {
      east.peer().setMode(SippUas.Mode.OK);
    }
    // The failed destination was marked inactive; its OPTIONS keepalive brings it back.
    Awaitility.await("east active again in dispatcher.list").atMost(Duration.ofSeconds(10))
        .until(() -> kamailio.peer().rpc("dispatcher.list")
            .contains("\"URI\":\"" + east.peer().sipUri() + "\",\"FLAGS\":\"A"));
  }
}
