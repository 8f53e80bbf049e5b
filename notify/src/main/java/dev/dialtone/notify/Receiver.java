package dev.dialtone.notify;

import java.util.Objects;

/** A named destination: how to reach it and which events it wants. */
public record Receiver(String name, NotificationProvider provider, Route route) {
  public Receiver {
    Objects.requireNonNull(name, "receiver: name");
    Objects.requireNonNull(provider, "receiver: provider");
    route = route == null ? Route.all() : route;
  }
}
