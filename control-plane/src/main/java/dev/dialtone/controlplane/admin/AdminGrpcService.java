package dev.dialtone.controlplane.admin;

import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.ReportStore;
import dev.dialtone.config.constraint.Formats;
import dev.dialtone.controlplane.gameday.GameDayService;
import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.loop.ControlLoop;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.policy.Decision;
import dev.dialtone.controlplane.policy.PlacementPolicy;
import dev.dialtone.controlplane.policy.PolicyInput;
import dev.dialtone.controlplane.server.Replica;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.HistoryPage;
import dev.dialtone.controlplane.state.StaleEpochException;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.Versioned;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import dev.dialtone.proto.v1.*;
import dev.dialtone.security.authz.Principal;
import dev.dialtone.security.authz.Role;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' API on every replica. Reads answer anywhere; mutations run on the leader's loop
 * thread (never beside a plan) and non-leaders refuse them with FAILED_PRECONDITION naming the
 * leader. Every mutation is recorded in the history with its principal, reason and time.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AdminGrpcService.class);
  /** Who a caller is when nobody verified it (the plaintext dev/lab profile). */
  static final String ANONYMOUS = "anonymous";
  static final String NO_GAME_DAYS = "game days are not configured (no chaos: section in the replica's configuration)";

  private final Replica replica;
  private final PlacementPolicy policy;
  private final Function<Instant, HealthSnapshot> health;
  private final PolicyConfig config;
  private final Clock clock;
  private final Optional<GameDayService> gameDays;

  public AdminGrpcService(Replica replica, PlacementPolicy policy, Function<Instant, HealthSnapshot> health, Clock clock) {
    this(replica, policy, health, clock, Optional.empty());
  }

  /** @param gameDays the replica's game days, empty when not configured (drill calls then refuse) */
  public AdminGrpcService(Replica replica, PlacementPolicy policy, Function<Instant, HealthSnapshot> health, Clock clock,
      Optional<GameDayService> gameDays) {
    this.gameDays = gameDays;
    this.replica = replica;
    this.policy = policy;
    this.health = health;
    this.config = replica.config().policy().toPolicyConfig();
    this.clock = clock;
  }

  private ZooKeeperStateStore store() {
    return replica.store();
  }

  private ControlLoop loop() {
    return replica.loop();
  }

  /** A call body that may fail with a gRPC status or a state error. */
  @FunctionalInterface
  interface Body<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@code body} and answers with its result or a status. An unexpected failure goes back as
   * a short INTERNAL message with a correlation id; its detail (which may name files, hosts or
   * state) stays in this replica's log under that id.
   */
  static <T> void answer(StreamObserver<T> out, Body<T> body) {
    try {
      out.onNext(body.call());
      out.onCompleted();
    } catch (StatusException e) {
      out.onError(e);
    } catch (StaleEpochException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription("leadership changed during the call: " + e.getMessage()).asException());
    } catch (StateException.Unavailable e) {
      out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asException());
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.onError(Status.CANCELLED.withDescription("interrupted").asException());
    } catch (Exception e) {
      String id = java.util.UUID.randomUUID().toString().substring(0, 8);
      log.error("[admin] call failed (error id {})", id, e);
      out.onError(Status.INTERNAL.withDescription("internal error (id " + id + "): the replica's log has the details")
          .asException());
    }
  }

  /** Runs a mutation on the leader's loop thread at its epoch. */
  private <T> T asLeader(LeaderAction<T> action) throws Exception {
    long epoch = loop().epoch();
    if (epoch == 0) {
      String leader = replica.leadership().leaderId();
      throw Status.FAILED_PRECONDITION.withDescription(
          "replica " + replica.config().replicaId() + " is not the leader; "
              + (leader.isEmpty() ? "no leader is known right now" : "the leader is " + leader)).asException();
    }
    // The caller's gRPC context (its verified principal) goes along to the loop thread.
    return loop().exclusive(Context.current().wrap(() -> {
      if (loop().epoch() != epoch) {
        throw Status.FAILED_PRECONDITION.withDescription("leadership changed during the call").asException();
      }
      return action.run(epoch);
    }));
  }

  /** The caller as access control established it; the history records this name. */
  private static String principal() {
    return Principal.current().map(Principal::name).orElse(ANONYMOUS);
  }

  @FunctionalInterface
  interface LeaderAction<T> {
    T run(long epoch) throws Exception;
  }

  private static String required(String reason, String field) throws StatusException {
    if (reason == null || reason.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription(field + " is required").asException();
    }
    return reason;
  }

  private PolicyInput input() throws StateException, StatusException {
    Optional<Versioned<Placement>> p = loop().placement();
    if (p.isEmpty()) {
      throw Status.FAILED_PRECONDITION.withDescription("no placement yet: register regions and wait for the first one").asException();
    }
    return loop().input(p.get().value(), store().regions());
  }

  private void manual(long epoch, String summary, String reason) throws Exception {
    loop().note(epoch, HistoryKind.MANUAL_ACTION, "", principal(), summary, reason, Map.of());
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> out) {
    answer(out, () -> {
      Instant now = clock.instant();
      GetStatusResponse.Builder b = GetStatusResponse.newBuilder()
          .setDeployment(replica.config().deployment()).setReplicaId(replica.config().replicaId())
          .setLeaderId(replica.leadership().leaderId()).setEpoch(replica.leadership().currentEpoch())
          .setCoordinationConnected(replica.leadership().connected());
      Optional<FreezeSignal> freeze = store().freeze().filter(f -> f.activeAt(now));
      Mode mode = freeze.isPresent() ? Mode.FROZEN : store().modeOverride().orElse(config.mode());
      b.setMode(AdminProtos.mode(mode));
      freeze.ifPresent(f -> b.setFreeze(AdminProtos.freeze(f)));
      store().placement().ifPresent(p -> b.setPlacement(AdminProtos.placement(p.value(), p.version())));
      b.setRecommendOnly(loop().recommendOnly());
      store().recommendation().ifPresent(r -> b.setRecommendation(AdminProtos.recommendation(r)));
      HealthSnapshot snapshot = health.apply(now);
      // A removed region's tombstone stays in ZooKeeper (so it is not seeded again); it is in the history, not here.
      store().regions().values().stream().filter(r -> r.lifecycle() != Lifecycle.REMOVED).sorted(RegionSpec.BY_PREFERENCE)
          .forEach(r -> b.addRegions(AdminProtos.region(r, snapshot.region(r.id()))));
      store().plan().ifPresent(p -> b.setPlanInFlight(AdminProtos.plan(p)));
      return b.build();
    });
  }

  @Override
  public void listHistory(ListHistoryRequest request, StreamObserver<ListHistoryResponse> out) {
    answer(out, () -> {
      HistoryPage page = store().history(historyPageSize(request.getPageSize()),
          historyPageToken(request.getPageToken()), request.getPlanId());
      ListHistoryResponse.Builder b = ListHistoryResponse.newBuilder().setNextPageToken(page.nextPageToken());
      page.entries().forEach(e -> b.addEntries(AdminProtos.history(e)));
      return b.build();
    });
  }

  /** The page size asked for: 0 means the default (50); more than 500 (or a negative int32 sent as uint32) is refused. */
  static int historyPageSize(int asked) {
    if (asked == 0) {
      return 50;
    }
    if (asked < 0 || asked > 500) {
      throw new IllegalArgumentException("page_size must be 1..500 (0 for the default 50): " + Integer.toUnsignedString(asked));
    }
    return asked;
  }

  /** A page token is an entry id this service handed out ({@code e-} and ZooKeeper's ten-digit sequence). */
  static String historyPageToken(String token) {
    if (!token.isEmpty() && !HISTORY_TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("page_token is not one this service handed out (pass back next_page_token): "
          + (token.length() > 40 ? token.substring(0, 40) + "…" : token));
    }
    return token;
  }

  private static final Pattern HISTORY_TOKEN = Pattern.compile("e-[0-9]{10}");

  /** Refuses an edge DNS or a carrier could not use, naming the field and the value. */
  static void checkEdge(dev.dialtone.proto.v1.RegionEdge e) {
    for (int i = 0; i < e.getIpv4Count(); i++) {
      if (!Formats.isIpv4(e.getIpv4(i))) {
        throw new IllegalArgumentException("edge.ipv4[" + i + "] is not an IPv4 address: " + e.getIpv4(i));
      }
    }
    for (int i = 0; i < e.getIpv6Count(); i++) {
      if (!Formats.isIpv6(e.getIpv6(i))) {
        throw new IllegalArgumentException("edge.ipv6[" + i + "] is not an IPv6 address: " + e.getIpv6(i));
      }
    }
    if (!e.getSipUri().isEmpty() && !Formats.isSipUri(e.getSipUri())) {
      throw new IllegalArgumentException("edge.sip_uri must be a sip: or sips: URI with a host (e.g. sip:edge.example.com:5060): "
          + e.getSipUri());
    }
    if (!e.getCname().isEmpty() && !Formats.isDnsName(e.getCname())) {
      throw new IllegalArgumentException("edge.cname must be a DNS name (e.g. edge.us-east.example.com.): " + e.getCname());
    }
  }

  // ---- traffic ----------------------------------------------------------------------------------

  private record Outcome(Optional<Plan> plan, String reason) {}

  private Outcome moveTo(long epoch, String to, boolean force, boolean dryRun, String action, String reason) throws Exception {
    PolicyInput in = input();
    if (to.equals(in.placement().activeRegion())) {
      return new Outcome(Optional.empty(), to + " is already active");
    }
    Decision d = policy.manualSwitchover(in, to, force);
    if (!d.actionable()) {
      throw Status.FAILED_PRECONDITION.withDescription("refused: " + d.reason()).asException();
    }
    if (!dryRun) {
      manual(epoch, action + " to " + to + (force ? " (forced)" : ""), reason);
    }
    Optional<Plan> plan = loop().act(epoch, d, principal(), false, dryRun);
    if (plan.isPresent() && !dryRun && loop().recommendOnly()) {
      return new Outcome(plan, "recommended, not applied (recommend-only replica): " + d.reason());
    }
    if (plan.isPresent() && !dryRun && plan.get().state() != dev.dialtone.controlplane.plan.PlanState.SUCCEEDED) {
      return new Outcome(plan, "plan " + plan.get().id() + " ended " + plan.get().state() + ": " + d.reason());
    }
    return new Outcome(plan, d.reason());
  }

  @Override
  public void switchover(SwitchoverRequest request, StreamObserver<SwitchoverResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      Outcome o = moveTo(epoch, required(request.getToRegion(), "to_region"), false, request.getDryRun(), "switchover",
          request.getReason().isBlank() ? "planned switchover" : request.getReason());
      SwitchoverResponse.Builder b = SwitchoverResponse.newBuilder().setReason(o.reason());
      o.plan().ifPresent(p -> b.setPlan(AdminProtos.plan(p)));
      return b.build();
    }));
  }

  @Override
  public void failover(FailoverRequest request, StreamObserver<FailoverResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      Outcome o = moveTo(epoch, required(request.getToRegion(), "to_region"), request.getForce(), request.getDryRun(),
          "failover", required(request.getReason(), "reason"));
      FailoverResponse.Builder b = FailoverResponse.newBuilder().setReason(o.reason());
      o.plan().ifPresent(p -> b.setPlan(AdminProtos.plan(p)));
      return b.build();
    }));
  }

  @Override
  public void setOutageMode(SetOutageModeRequest request, StreamObserver<SetOutageModeResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      String reason = required(request.getReason(), "reason");
      PolicyInput in = input();
      SetOutageModeResponse.Builder b = SetOutageModeResponse.newBuilder();
      if (request.getEnabled() == in.placement().outageMode()) {
        return b.setReason("outage mode is already " + (request.getEnabled() ? "on" : "off")).build();
      }
      Decision d = policy.manualOutage(in, request.getEnabled(), reason);
      if (!d.actionable()) {
        throw Status.FAILED_PRECONDITION.withDescription("refused: " + d.reason()).asException();
      }
      manual(epoch, "outage mode " + (request.getEnabled() ? "on" : "off"), reason);
      Optional<Plan> plan = loop().act(epoch, d, principal(), false, false);
      plan.ifPresent(p -> b.setPlan(AdminProtos.plan(p)));
      return b.setReason(d.reason()).build();
    }));
  }

  // ---- freeze -----------------------------------------------------------------------------------

  @Override
  public void freeze(FreezeRequest request, StreamObserver<FreezeResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      Instant now = clock.instant();
      Duration d = request.hasDuration()
          ? Duration.ofSeconds(request.getDuration().getSeconds(), request.getDuration().getNanos()) : null;
      FreezeSignal f = new FreezeSignal(principal(), required(request.getReason(), "reason"), now, d == null ? null : now.plus(d));
      store().setFreeze(epoch, Optional.of(f));
      manual(epoch, "freeze" + (d == null ? "" : " for " + d), f.reason());
      return FreezeResponse.newBuilder().setMode(dev.dialtone.proto.v1.Mode.MODE_FROZEN).setFreeze(AdminProtos.freeze(f)).build();
    }));
  }

  @Override
  public void unfreeze(UnfreezeRequest request, StreamObserver<UnfreezeResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      store().setFreeze(epoch, Optional.empty());
      manual(epoch, "unfreeze", request.getReason().isBlank() ? "unfrozen" : request.getReason());
      return UnfreezeResponse.newBuilder().setMode(AdminProtos.mode(store().modeOverride().orElse(config.mode()))).build();
    }));
  }

  @Override
  public void setMode(SetModeRequest request, StreamObserver<SetModeResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      Mode wanted = switch (request.getMode()) {
        case MODE_AUTO -> Mode.AUTO;
        case MODE_MANUAL -> Mode.MANUAL;
        default -> throw new IllegalArgumentException("mode must be MODE_AUTO or MODE_MANUAL (a freeze is Freeze's): "
            + request.getMode());
      };
      String reason = required(request.getReason(), "reason");
      Mode before = store().modeOverride().orElse(config.mode());
      if (before != wanted) {
        store().setModeOverride(epoch, Optional.of(wanted));
        manual(epoch, "mode " + before + " -> " + wanted, reason);
      }
      Mode effective = store().freeze().filter(f -> f.activeAt(clock.instant())).isPresent() ? Mode.FROZEN : wanted;
      return SetModeResponse.newBuilder().setMode(AdminProtos.mode(effective)).setChanged(before != wanted).build();
    }));
  }

  // ---- regions ----------------------------------------------------------------------------------

  @Override
  public void registerRegion(RegisterRegionRequest request, StreamObserver<RegisterRegionResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      String id = required(request.getId(), "id");
      if (!id.matches("[a-z0-9][a-z0-9-]*")) {
        throw new IllegalArgumentException("id must be lower-case letters, digits and dashes: " + id);
      }
      checkEdge(request.getEdge());
      Instant now = clock.instant();
      RegionSpec existing = store().regions().get(id);
      RegionSpec wanted = new RegionSpec(id, request.getPriority(), AdminProtos.edge(id, request.getEdge()),
          existing == null || existing.lifecycle() == Lifecycle.REMOVED ? Lifecycle.PROVISIONING : existing.lifecycle(),
          existing == null || existing.lifecycle() == Lifecycle.REMOVED ? now : existing.lifecycleSince());
      boolean changed = existing == null || !existing.equals(wanted);
      if (existing != null && existing.lifecycle() == Lifecycle.ACTIVE && !existing.edge().equals(wanted.edge())) {
        // Re-registering is an operator's act, but a new edge for the ACTIVE region moves live calls.
        Optional<Principal> caller = Principal.current();
        if (caller.isPresent() && !caller.get().role().map(r -> r.includes(Role.ADMIN)).orElse(false)) {
          throw Status.PERMISSION_DENIED.withDescription("refused: " + id + " is ACTIVE and a new edge would move its"
              + " live calls; that needs the admin role (or drain " + id + " first)").asException();
        }
      }
      if (changed) {
        store().putRegion(epoch, wanted);
        loop().note(epoch, HistoryKind.REGION, "", principal(),
            id + (existing == null ? " registered as PROVISIONING"
                : existing.lifecycle() == Lifecycle.REMOVED ? " registered again after its removal, as PROVISIONING"
                : " re-registered (priority " + wanted.priority() + ")"),
            request.getReason().isBlank() ? "register" : request.getReason(), Map.of());
      }
      return RegisterRegionResponse.newBuilder().setChanged(changed)
          .setRegion(AdminProtos.region(wanted, health.apply(now).region(id))).build();
    }));
  }

  @Override
  public void drainRegion(DrainRegionRequest request, StreamObserver<DrainRegionResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      String id = required(request.getId(), "id");
      String reason = request.getReason().isBlank() ? "drain" : request.getReason();
      RegionSpec spec = existing(id);
      DrainRegionResponse.Builder b = DrainRegionResponse.newBuilder();
      if (spec.lifecycle() == Lifecycle.DRAINING || spec.lifecycle() == Lifecycle.REMOVED) {
        return b.setChanged(false).setRegion(AdminProtos.region(spec, health.apply(clock.instant()).region(id))).build();
      }
      PolicyInput in = input();
      Placement p = in.placement();
      Decision d = policy.drain(in, id);
      if (p.routed().contains(id)) {
        // Out of every routing first, in the plan that drains it; the same rules as any other move.
        if (!d.actionable()) {
          throw Status.FAILED_PRECONDITION.withDescription("refused: " + d.reason()).asException();
        }
        manual(epoch, "take " + id + " out of routing before draining it", reason);
        Optional<Plan> plan = loop().act(epoch, d, principal(), false, false);
        if (plan.isEmpty() || plan.get().state() != dev.dialtone.controlplane.plan.PlanState.SUCCEEDED) {
          throw Status.FAILED_PRECONDITION.withDescription("taking " + id + " out of routing did not complete"
              + plan.map(pl -> ": plan " + pl.id() + " ended " + pl.state()).orElse("") + "; it is not draining yet")
              .asException();
        }
        b.setPlan(AdminProtos.plan(plan.get()));
      } else if (PlacementPolicy.frozen(in).isPresent()) {
        // Not routed, but a freeze holds every change of the deployment, its lifecycles included.
        throw Status.FAILED_PRECONDITION.withDescription("refused: " + d.reason()).asException();
      }
      RegionSpec draining = existing(id).withLifecycle(Lifecycle.DRAINING, clock.instant());
      store().putRegion(epoch, draining);
      loop().note(epoch, HistoryKind.REGION, "", principal(), id + " draining", reason, Map.of());
      return b.setChanged(true).setRegion(AdminProtos.region(draining, health.apply(clock.instant()).region(id))).build();
    }));
  }

  @Override
  public void deregisterRegion(DeregisterRegionRequest request, StreamObserver<DeregisterRegionResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      String id = required(request.getId(), "id");
      RegionSpec spec = store().regions().get(id);
      if (spec == null || spec.lifecycle() == Lifecycle.REMOVED) {
        // Pipelines retry: forgetting what is already forgotten succeeds and changes nothing.
        return DeregisterRegionResponse.newBuilder().setChanged(false).setRegion(dev.dialtone.proto.v1.RegionStatus
            .newBuilder().setId(id).setLifecycle(dev.dialtone.proto.v1.RegionLifecycle.REGION_LIFECYCLE_REMOVED)
            .setReason("not registered")).build();
      }
      if (spec.lifecycle() != Lifecycle.DRAINING) {
        throw Status.FAILED_PRECONDITION.withDescription("refused: " + id + " is " + spec.lifecycle() + "; drain it first").asException();
      }
      // A tombstone, not a deletion: a region in the replicas' files would otherwise be seeded back
      // at the next term. Registering it again is an explicit act (RegisterRegion).
      RegionSpec removed = spec.withLifecycle(Lifecycle.REMOVED, clock.instant());
      store().putRegion(epoch, removed);
      loop().note(epoch, HistoryKind.REGION, "", principal(), id + " deregistered (REMOVED)",
          request.getReason().isBlank() ? "deregister" : request.getReason(), Map.of());
      return DeregisterRegionResponse.newBuilder().setChanged(true)
          .setRegion(AdminProtos.region(removed, health.apply(clock.instant()).region(id))).build();
    }));
  }

  @Override
  public void cancelDrain(CancelDrainRequest request, StreamObserver<CancelDrainResponse> out) {
    answer(out, () -> asLeader(epoch -> {
      String id = required(request.getId(), "id");
      RegionSpec spec = existing(id);
      Instant now = clock.instant();
      if (spec.lifecycle() != Lifecycle.DRAINING) {
        return CancelDrainResponse.newBuilder().setChanged(false)
            .setRegion(AdminProtos.region(spec, health.apply(now).region(id))).build();
      }
      // Back through PROVISIONING: it rejoins the standbys only once healthy for provisioningHealthyFor.
      RegionSpec back = spec.withLifecycle(Lifecycle.PROVISIONING, now);
      store().putRegion(epoch, back);
      loop().note(epoch, HistoryKind.REGION, "", principal(), id + " drain cancelled: DRAINING -> PROVISIONING",
          request.getReason().isBlank() ? "cancel drain" : request.getReason(), Map.of());
      return CancelDrainResponse.newBuilder().setChanged(true)
          .setRegion(AdminProtos.region(back, health.apply(now).region(id))).build();
    }));
  }

  private RegionSpec existing(String id) throws Exception {
    RegionSpec spec = store().regions().get(id);
    if (spec == null) {
      throw Status.NOT_FOUND.withDescription("no region " + id + " is registered").asException();
    }
    return spec;
  }

  // ---- drills -----------------------------------------------------------------------------------

  private GameDayService gameDays() throws StatusException {
    return gameDays.orElseThrow(() -> Status.FAILED_PRECONDITION.withDescription(NO_GAME_DAYS).asException());
  }

  @Override
  public void listDrills(ListDrillsRequest request, StreamObserver<ListDrillsResponse> out) {
    answer(out, () -> {
      GameDayService g = gameDays();
      Instant now = clock.instant();
      Map<String, DrillReport> last = new java.util.HashMap<>();
      Optional<GameDayService.ActiveRun> here = g.latest();
      if (here.isPresent()) {
        g.report(here.get().run().runId()).ifPresent(r -> last.put(r.drill(), r));
      }
      List<ReportStore.Summary> stored = g.stored(); // newest first
      for (ReportStore.Summary s : stored) {
        if (!last.containsKey(s.drill())) {
          g.report(s.runId()).ifPresent(r -> last.put(r.drill(), r));
        }
      }
      ListDrillsResponse.Builder b = ListDrillsResponse.newBuilder();
      Map<String, dev.dialtone.chaos.store.StoredDrill> texts = new java.util.HashMap<>();
      g.storedDrills().forEach(sd -> texts.put(sd.name(), sd));
      g.drills().forEach(d -> b.addDrills(DrillProtos.info(d, Optional.ofNullable(texts.get(d.name())),
          GameDayService.nextRun(d, now), Optional.ofNullable(last.get(d.name())))));
      stored.forEach(s -> b.addRuns(DrillProtos.stored(s)));
      return b.build();
    });
  }

  @Override
  public void applyDrill(ApplyDrillRequest request, StreamObserver<ApplyDrillResponse> out) {
    answer(out, () -> {
      GameDayService g = gameDays();
      String file = required(request.getFile(), "file");
      String yaml = required(request.getYaml(), "yaml");
      return asLeader(epoch -> {
        GameDayService.Applied applied;
        try {
          applied = g.apply(file, yaml, principal(), epoch);
        } catch (dev.dialtone.config.ConfigException e) {
          throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
        } catch (dev.dialtone.chaos.store.DrillStoreException e) {
          throw storeFailure(e);
        }
        String name = applied.applied().drill().name();
        var outcome = applied.applied().outcome();
        if (outcome != dev.dialtone.chaos.store.DrillStore.Outcome.UNCHANGED) {
          loop().note(epoch, HistoryKind.DRILL, "", principal(), "drill " + name + " " + outcome.name().toLowerCase(java.util.Locale.ROOT)
              + " from " + file, request.getReason().isBlank() ? "applied" : request.getReason(), Map.of("drill", name));
        }
        return ApplyDrillResponse.newBuilder().setName(name).setOutcome(DrillProtos.outcome(outcome))
            .addAllWarnings(applied.refusals()).build();
      });
    });
  }

  /** A newer leader refused the write (never retry here), or ZooKeeper did not answer. */
  private static StatusException storeFailure(dev.dialtone.chaos.store.DrillStoreException e) {
    return (e.fenced() ? Status.FAILED_PRECONDITION : Status.UNAVAILABLE).withDescription(e.getMessage()).asException();
  }

  @Override
  public void deleteDrill(DeleteDrillRequest request, StreamObserver<DeleteDrillResponse> out) {
    answer(out, () -> {
      GameDayService g = gameDays();
      String name = required(request.getName(), "name");
      String reason = required(request.getReason(), "reason");
      return asLeader(epoch -> {
        boolean deleted;
        try {
          deleted = g.delete(name, principal(), epoch);
        } catch (IllegalArgumentException e) {
          throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
        } catch (dev.dialtone.chaos.store.DrillStoreException e) {
          throw storeFailure(e);
        }
        if (!deleted) {
          throw Status.NOT_FOUND.withDescription("no drill named '" + name + "' is stored (`dialtone drill list` lists them)")
              .asException();
        }
        loop().note(epoch, HistoryKind.DRILL, "", principal(), "drill " + name + " deleted", reason, Map.of("drill", name));
        return DeleteDrillResponse.getDefaultInstance();
      });
    });
  }

  @Override
  public void runDrill(RunDrillRequest request, StreamObserver<RunDrillResponse> out) {
    answer(out, () -> {
      GameDayService g = gameDays();
      String name = required(request.getName(), "name");
      return asLeader(epoch -> {
        GameDayService.ActiveRun run;
        try {
          run = g.run(name, epoch);
        } catch (java.util.NoSuchElementException e) {
          throw Status.NOT_FOUND.withDescription(e.getMessage()).asException();
        } catch (IllegalStateException e) {
          throw Status.FAILED_PRECONDITION.withDescription("refused: " + e.getMessage()).asException();
        }
        String runId = run.run().runId();
        loop().note(epoch, HistoryKind.DRILL, "", principal(), "drill " + name + " started as run " + runId,
            request.getReason().isBlank() ? "run by hand" : request.getReason(), Map.of("run", runId));
        return RunDrillResponse.newBuilder()
            .setRun(DrillProtos.started(runId, name, run.run().state(), run.startedAt())).build();
      });
    });
  }

  @Override
  public void abortDrill(AbortDrillRequest request, StreamObserver<AbortDrillResponse> out) {
    answer(out, () -> {
      GameDayService g = gameDays();
      String runId = required(request.getRunId(), "run_id");
      String reason = required(request.getReason(), "reason");
      return asLeader(epoch -> {
        if (!g.abort(runId, reason)) {
          throw Status.NOT_FOUND.withDescription("no drill run " + runId + " is active on the leader").asException();
        }
        loop().note(epoch, HistoryKind.DRILL, "", principal(), "drill run " + runId + " aborted", reason, Map.of("run", runId));
        AbortDrillResponse.Builder b = AbortDrillResponse.newBuilder();
        g.report(runId).ifPresent(r -> b.setRun(DrillProtos.run(r)));
        return b.build();
      });
    });
  }

  @Override
  public void getDrillReport(GetDrillReportRequest request, StreamObserver<GetDrillReportResponse> out) {
    answer(out, () -> {
      GameDayService g = gameDays();
      String runId = required(request.getRunId(), "run_id");
      DrillReport report = g.report(runId).orElseThrow(() -> Status.NOT_FOUND
          .withDescription("no report for drill run " + runId + " (stored reports are listed by `dialtone drill list`)")
          .asException());
      return DrillProtos.report(report, request.getFormat());
    });
  }
}
