package dev.dialtone.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's webhook stand-in over real HTTP on loopback: token checked, deliveries kept and waited for. */
class LabNotificationsTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  int post(LabNotifications receiver, String authorization, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(receiver.url())).POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void takesOnlyAuthorizedNotificationsAndWakesWhoeverWaitsForOne() throws Exception {
    try (LabNotifications receiver = LabNotifications.start(dir, "Bearer lab-token", Clock.systemUTC())) {
      Instant start = Instant.now();
      String failover = "{\"id\":\"e1-2\",\"kind\":\"failover\",\"severity\":\"critical\",\"summary\":\"us-east failed over\"}";

      assertThat(post(receiver, null, failover)).isEqualTo(401);
      assertThat(post(receiver, "Bearer wrong", failover)).isEqualTo(401);
      assertThat(post(receiver, "Bearer lab-token", "not json")).isEqualTo(400);
      assertThat(receiver.await(start, n -> true, Duration.ofMillis(200))).as("nothing taken yet").isFalse();

      Thread poster = Thread.ofVirtual().start(() -> {
        try {
          post(receiver, "Bearer lab-token", failover);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(receiver.await(start, n -> n.kind().equals("failover"), Duration.ofSeconds(10))).isTrue();
      poster.join();

      assertThat(receiver.since(start)).singleElement().satisfies(n -> {
        assertThat(n.severity()).isEqualTo("critical");
        assertThat(n.summary()).isEqualTo("us-east failed over");
      });
      assertThat(Files.readAllLines(receiver.log())).singleElement().asString().contains("\"kind\":\"failover\"");
    }
  }
}
