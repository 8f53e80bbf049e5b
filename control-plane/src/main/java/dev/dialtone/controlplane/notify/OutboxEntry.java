package dev.dialtone.controlplane.notify;

import dev.dialtone.notify.Notification;
import java.util.List;

/** An event waiting in the outbox, with the receivers its routes chose when it was raised. */
record OutboxEntry(Notification notification, List<String> receivers, long raisedAtEpoch) {
  OutboxEntry {
    receivers = List.copyOf(receivers);
  }
}
