package dev.dialtone.notify;

/**
 * One way of telling a receiver (a webhook, a Slack channel, a PagerDuty service, a mailbox).
 * {@link #send} either returns, meaning the receiver took the event, or throws a classified
 * {@link DeliveryException}; it retries nothing itself (the {@link Dispatcher} does).
 */
public interface NotificationProvider {
  /** The provider type, e.g. {@code pagerduty}, for logs and metrics. */
  String type();

  /** Delivers {@code n} once. */
  void send(Notification n) throws DeliveryException, InterruptedException;
}
