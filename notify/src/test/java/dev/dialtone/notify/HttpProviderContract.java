package dev.dialtone.notify;

import dev.dialtone.notify.http.JsonPost;
import dev.dialtone.notify.testing.HttpReceiverStandIn;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The provider contract for providers that POST JSON, each against a stand-in of its own service. */
public abstract class HttpProviderContract extends NotificationProviderContract {
  protected HttpReceiverStandIn receiver;

  /** The service the stand-in plays. */
  protected abstract HttpReceiverStandIn.Service service();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpReceiverStandIn.start(service());
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  /** The HTTP client every provider under test uses. */
  protected static JsonPost http() {
    return JsonPost.withTimeout(Duration.ofSeconds(2));
  }

  @Override
  protected NotificationProvider refused() {
    receiver.refuse(true);
    return provider();
  }

  @Override
  protected void down(boolean down) {
    receiver.down(() -> down);
  }

  @Override
  protected List<?> taken() {
    return receiver.taken();
  }
}
