package dev.dialtone.carrier.kamailio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KamailioConfigTest {
  private static final URI RPC = URI.create("http://127.0.0.1:5071/RPC");
  private static final Path LIST = Path.of("/etc/kamailio/dispatcher.list");
  private static final FallbackPlan QUEUE = FallbackPlan.of(FallbackDestination.queue("sip:support@pbx.example.com"));

  @Test
  void defaults() {
    KamailioConfig config = KamailioConfig.of(RPC, 1, LIST, QUEUE);

    assertThat(config.rpcTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.pstnGateway()).isNull();
  }

  @Test
  void eachFieldIsValidatedByName() {
    assertThatThrownBy(() -> KamailioConfig.of(null, 1, LIST, QUEUE)).hasMessageStartingWith("carrier.provider.kamailio.rpcUrl: required");
    assertThatThrownBy(() -> KamailioConfig.of(URI.create("ftp://h/RPC"), 1, LIST, QUEUE))
        .hasMessageStartingWith("carrier.provider.kamailio.rpcUrl: 'ftp://h/RPC' is not an http(s) URL");
    assertThatThrownBy(() -> KamailioConfig.of(RPC, 0, LIST, QUEUE)).hasMessageStartingWith("carrier.provider.kamailio.setId: must be positive");
    assertThatThrownBy(() -> KamailioConfig.of(RPC, 1, null, QUEUE)).hasMessageStartingWith("carrier.provider.kamailio.listFile: required");
    assertThatThrownBy(() -> new KamailioConfig(RPC, 1, LIST, Duration.ZERO, null, QUEUE))
        .hasMessageStartingWith("carrier.provider.kamailio.rpcTimeout: must be positive");
    assertThatThrownBy(() -> KamailioConfig.of(RPC, 1, LIST, null)).hasMessageStartingWith("carrier.fallback: required");
    assertThatThrownBy(() -> new KamailioConfig(RPC, 1, LIST, null, "gw example", QUEUE))
        .hasMessageStartingWith("carrier.provider.kamailio.pstnGateway: 'gw example' is not host[:port]");
  }

  @Test
  void aPstnFallbackNeedsAGateway() {
    FallbackPlan pstn = FallbackPlan.of(FallbackDestination.pstn("+15551230000"));

    assertThatThrownBy(() -> KamailioConfig.of(RPC, 1, LIST, pstn))
        .hasMessage("carrier.provider.kamailio.pstnGateway: required because carrier.fallback has a pstn destination");
    assertThat(new KamailioConfig(RPC, 1, LIST, null, "gw.example.com:5060", pstn).fallback().destinations().get(0)
        .sipUri("gw.example.com:5060")).isEqualTo("sip:+15551230000@gw.example.com:5060");
  }
}
