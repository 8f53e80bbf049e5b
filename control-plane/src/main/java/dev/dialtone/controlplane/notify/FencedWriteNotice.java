package dev.dialtone.controlplane.notify;

import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanListener;
import dev.dialtone.controlplane.plan.PlanState;
import dev.dialtone.notify.Dispatcher;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tells the receivers, from the replica whose write was refused, that a plan of its ended FENCED:
 * an actuator or the state store already holds a newer epoch, so this replica's term is over. It
 * cannot use the outbox (its ZooKeeper writes are fenced too), so it sends straight away.
 */
final class FencedWriteNotice implements PlanListener {
  private final String deployment;
  private final String replicaId;
  private final Dispatcher dispatcher;

  FencedWriteNotice(String deployment, String replicaId, Dispatcher dispatcher) {
    this.deployment = deployment;
    this.replicaId = replicaId;
    this.dispatcher = dispatcher;
  }

  @Override
  public void readBack(Plan plan, String actuator, Instant at) {}

  @Override
  public void ended(Plan plan, Instant at) {
    if (plan.state() != PlanState.FENCED) {
      return;
    }
    String refused = plan.steps().stream().filter(s -> s.state() == PlanState.FENCED)
        .map(s -> s.actuator() + ": " + s.error()).collect(Collectors.joining("; "));
    dispatcher.offer(new Notification("plan-" + plan.id() + "-fenced-" + replicaId, EventKind.FENCED_WRITE_REFUSED, null,
        deployment, "", plan.id(), replicaId + "'s writes for plan " + plan.id() + " (epoch " + plan.epoch()
            + ") were refused: a newer leader owns the targets" + (refused.isEmpty() ? "" : " (" + refused + ")"),
        Map.of("replica", replicaId, "epoch", Long.toString(plan.epoch()), "refused", refused), null, at),
        () -> true, Dispatcher.Listener.NONE);
  }
}
