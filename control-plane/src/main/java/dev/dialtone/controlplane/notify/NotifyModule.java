package dev.dialtone.controlplane.notify;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.server.Replica;
import java.time.Clock;

/**
 * Wires notifications when the configuration has a {@code notifications:} section: {@code
 * Optional<NotificationService>} is present then, empty otherwise.
 */
public final class NotifyModule extends AbstractModule {
  private static final String CONFIGURED = "configured";

  private final ControlPlaneConfig config;

  public NotifyModule(ControlPlaneConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    OptionalBinder<NotificationService> service = OptionalBinder.newOptionalBinder(binder(), NotificationService.class);
    if (config.notifications() != null) {
      service.setBinding().to(Key.get(NotificationService.class, Names.named(CONFIGURED)));
    }
  }

  @Provides
  @Singleton
  @Named(CONFIGURED)
  NotificationService notifications(Replica replica, Clock clock, MetricRegistry metrics) {
    return NotificationService.attach(replica, config.notifications(), clock, metrics);
  }
}
