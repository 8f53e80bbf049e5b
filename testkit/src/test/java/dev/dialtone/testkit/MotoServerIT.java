package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.peers.moto.MotoServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** moto's server is a local stand-in for Route 53; this only proves it answers the Route 53 API. */
class MotoServerIT {
  @RegisterExtension static final PeerExtension<MotoServer> moto = PeerExtension.of(MotoServer::new);

  @Test
  void answersTheRoute53ListHostedZonesCall() throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(moto.peer().endpoint().resolve("/2013-04-01/hostedzone"))
                    // moto routes by the credential scope's service name, as AWS signs it.
                    .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/route53/aws4_request,"
                            + " SignedHeaders=host, Signature=0")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("ListHostedZonesResponse");
  }
}
