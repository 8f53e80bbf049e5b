package dev.dialtone.controlplane.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.controlplane.testing.InMemoryJournal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlanExecutorTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final RegionEdge WEST = new RegionEdge("us-west", List.of("198.51.100.20"), List.of(), URI.create("sip:w.example.com"), null);
  static final RegionEdge EAST = new RegionEdge("us-east", List.of("203.0.113.10"), List.of(), URI.create("sip:e.example.com"), null);

  /** A clock that the sleeper advances, so budgets elapse without waiting. */
  static final class SteppingClock extends Clock {
    Instant now = T0;
    final List<Duration> sleeps = new ArrayList<>();

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }

    Sleeper sleeper() {
      return d -> { sleeps.add(d); now = now.plus(d); };
    }
  }

  final SteppingClock clock = new SteppingClock();
  final InMemoryJournal journal = new InMemoryJournal(7);
  final FencingActuator dns = new FencingActuator("dns/test", EpochGuard.none());
  final FencingActuator carrier = new FencingActuator("carrier/test", EpochGuard.none());
  final AtomicInteger fencedCalls = new AtomicInteger();
  final RetryBudget budget = new RetryBudget(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));

  PlanExecutor executor(long leaderEpoch) {
    return new PlanExecutor(List.<TrafficActuator>of(dns, carrier), journal, e -> e == leaderEpoch, budget, clock,
        clock.sleeper(), new Random(42), fencedCalls::incrementAndGet, StepHook.NONE, (n, d) -> {}, Runnable::run);
  }

  Plan plan(long epoch) {
    return Plan.create("p-1", epoch, new TrafficTarget.Routed(List.of(WEST, EAST)), "us-east DB DOWN", "policy",
        true, executor(epoch).actuatorNames(), T0);
  }

  @Test
  void eachActuatorIsAppliedAndReadBackAndEveryStepIsInTheHistory() throws Exception {
    Plan done = executor(7).execute(plan(7), 7);

    assertThat(done.state()).isEqualTo(PlanState.SUCCEEDED);
    assertThat(done.steps()).extracting(PlanStep::name).containsExactly("apply carrier/test", "apply dns/test");
    assertThat(carrier.writes()).containsExactly(new FencingActuator.Write(7, "p-1", "us-west > us-east"));
    assertThat(dns.routing()).isEqualTo("us-west > us-east");
    assertThat(journal.history()).extracting(h -> h.summary())
        .containsExactly("apply carrier/test: SUCCEEDED after 1 attempt(s)", "apply dns/test: SUCCEEDED after 1 attempt(s)");
    assertThat(journal.saved().get(0).state()).as("written before it starts").isEqualTo(PlanState.RUNNING);
  }

  @Test
  void listenersHearEachActuatorReadBackInPlanOrderAndCannotStopThePlan() throws Exception {
    PlanExecutor executor = executor(7);
    List<String> heard = new ArrayList<>();
    executor.addListener((plan, actuator, at) -> { throw new IllegalStateException("broken observer"); });
    executor.addListener((plan, actuator, at) -> heard.add(plan.id() + " " + actuator + " " + at));

    Plan done = executor.execute(plan(7), 7);

    assertThat(done.state()).isEqualTo(PlanState.SUCCEEDED);
    assertThat(heard).containsExactly("p-1 carrier/test " + T0, "p-1 dns/test " + T0);
  }

  @Test
  void transientFailuresAreRetriedWithGrowingJitteredBackoff() throws Exception {
    dns.failNext(Failure.TRANSIENT, Failure.TRANSIENT, Failure.TRANSIENT);

    Plan done = executor(7).execute(plan(7), 7);

    assertThat(done.state()).isEqualTo(PlanState.SUCCEEDED);
    assertThat(done.steps().get(1).attempts()).isEqualTo(4);
    assertThat(clock.sleeps).hasSize(3);
    assertThat(clock.sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
    assertThat(clock.sleeps.get(2)).isLessThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void aLaggingCarrierDoesNotHoldBackDnsAndThePlanCompletesWhenItReturns() throws Exception {
    Failure[] many = new Failure[200];
    java.util.Arrays.fill(many, Failure.TRANSIENT);
    carrier.failNext(many);

    Plan lagging = executor(7).execute(plan(7), 7);

    assertThat(lagging.state()).as("in flight: resumed at the next tick").isEqualTo(PlanState.RUNNING);
    assertThat(lagging.steps().get(0).error()).startsWith(PlanExecutor.LAGGING).contains("budget PT10S exhausted");
    assertThat(lagging.steps().get(1).state()).isEqualTo(PlanState.SUCCEEDED);
    assertThat(dns.routing()).isEqualTo("us-west > us-east");
    assertThat(journal.history()).extracting(h -> h.summary()).contains("apply carrier/test: LAGGING after "
        + lagging.steps().get(0).attempts() + " attempt(s)");

    carrier.recover();
    int dnsCalls = dns.calls();
    Plan done = executor(7).execute(lagging, 7);

    assertThat(done.state()).isEqualTo(PlanState.SUCCEEDED);
    assertThat(carrier.routing()).isEqualTo("us-west > us-east");
    assertThat(dns.calls()).as("only the lagging step runs again").isEqualTo(dnsCalls);
  }

  @Test
  void permanentFailureStopsItsStepAtOnceWithoutRetryingAndTheOthersStillShift() throws Exception {
    carrier.failNext(Failure.PERMANENT);

    Plan done = executor(7).execute(plan(7), 7);

    assertThat(done.state()).isEqualTo(PlanState.FAILED);
    assertThat(carrier.calls()).isEqualTo(1);
    assertThat(dns.routing()).isEqualTo("us-west > us-east");
    assertThat(clock.sleeps).isEmpty();
    assertThat(fencedCalls).hasValue(0);
  }

  @Test
  void aFencedStepIsNeverRetriedAndRelinquishesLeadership() throws Exception {
    carrier.apply(9, "newer", new TrafficTarget.Routed(List.of(EAST)));

    Plan done = executor(7).execute(plan(7), 7);

    assertThat(done.state()).isEqualTo(PlanState.FENCED);
    assertThat(carrier.calls()).isEqualTo(2);
    assertThat(carrier.routing()).isEqualTo("us-east");
    assertThat(dns.calls()).isZero();
    assertThat(fencedCalls).hasValue(1);
  }

  @Test
  void aStaleStateWriteFencesThePlanBeforeAnyActuatorIsTouched() throws Exception {
    journal.newEpoch(8);

    Plan done = executor(7).execute(plan(7), 7);

    assertThat(done.state()).isEqualTo(PlanState.FENCED);
    assertThat(carrier.calls() + dns.calls()).isZero();
    assertThat(fencedCalls).hasValue(1);
  }

  @Test
  void aReplicaThatIsNoLongerLeaderStopsBetweenStepsAndLeavesThePlanResumable() throws Exception {
    Plan done = executor(6).execute(plan(7), 7);

    assertThat(done.state()).isEqualTo(PlanState.RUNNING);
    assertThat(carrier.calls() + dns.calls()).isZero();
  }

  @Test
  void anAdoptedPlanRunsEveryStepAgainUnderTheNewEpoch() throws Exception {
    Plan first = executor(7).execute(plan(7), 7);
    journal.newEpoch(8);

    Plan again = executor(8).execute(first.adoptedBy(8), 8);

    assertThat(again.state()).isEqualTo(PlanState.SUCCEEDED);
    assertThat(again.epoch()).isEqualTo(8);
    assertThat(carrier.ownerEpoch()).isEqualTo(8);
    assertThat(dns.ownerEpoch()).isEqualTo(8);
  }
}
