package dev.dialtone.controlplane.statuspage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.dialtone.controlplane.actuation.RoutingReadBack;
import dev.dialtone.controlplane.admin.AdminGrpcService;
import dev.dialtone.proto.v1.DrillInfo;
import dev.dialtone.proto.v1.DrillRun;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.GetDrillReportResponse;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.ListDrillsRequest;
import dev.dialtone.proto.v1.ListDrillsResponse;
import dev.dialtone.proto.v1.ListHistoryRequest;
import dev.dialtone.proto.v1.ReportFormat;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The page's data, one JSON object, made of the admin service's own answers (called in process, so
 * the page shows exactly what {@code dialtone status}, {@code history} and {@code drill} show) and
 * the actuators' read-back routing. Never throws: a part that cannot be read carries its error.
 */
final class StatusSnapshots {
  /** How many history entries (decisions, actions, plan steps) the page shows. */
  static final int RECENT = 25;

  private static final JsonFormat.Printer PROTO_JSON =
      JsonFormat.printer().includingDefaultValueFields().sortingMapKeys().omittingInsignificantWhitespace();

  private final AdminGrpcService admin;
  private final RoutingReadBack routing;
  private final ObjectMapper json = new ObjectMapper();

  StatusSnapshots(AdminGrpcService admin, RoutingReadBack routing) {
    this.admin = admin;
    this.routing = routing;
  }

  /** The page's data now (without its time, so two snapshots compare equal when nothing changed). */
  ObjectNode build() {
    ObjectNode page = json.createObjectNode();
    part(page, "status", () -> proto(call(admin::getStatus, GetStatusRequest.getDefaultInstance())));
    page.set("routing", routing());
    part(page, "history", () -> proto(call(admin::listHistory, ListHistoryRequest.newBuilder().setPageSize(RECENT).build()))
        .path("entries"));
    part(page, "drills", () -> drills(call(admin::listDrills, ListDrillsRequest.getDefaultInstance())));
    return page;
  }

  /** A snapshot part that may fail on its own. */
  @FunctionalInterface
  private interface Part {
    JsonNode read() throws Exception;
  }

  private static void part(ObjectNode page, String name, Part part) {
    try {
      page.set(name, part.read());
    } catch (StatusException e) {
      page.putNull(name);
      page.put(name + "Error", e.getStatus().getDescription() == null ? e.getStatus().getCode().toString()
          : e.getStatus().getDescription());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      page.putNull(name);
      page.put(name + "Error", "could not be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private ArrayNode routing() {
    ArrayNode list = json.createArrayNode();
    for (RoutingReadBack.Reading r : routing.latest()) {
      ObjectNode n = list.addObject().put("actuator", r.actuator());
      r.routing().ifPresent(seen -> {
        ArrayNode regions = n.putArray("regions");
        seen.regionIds().forEach(regions::add);
        n.put("outageMode", seen.outageMode()).put("ownerEpoch", seen.ownerEpoch()).put("detail", seen.detail());
      });
      r.readAt().ifPresent(at -> n.put("readAt", at.toString()));
      if (!r.error().isEmpty()) {
        n.put("error", r.error());
        r.failedAt().ifPresent(at -> n.put("failedAt", at.toString()));
      }
    }
    return list;
  }

  /** The configured drills, the stored runs, and the newest run's report with its timeline (live while it runs). */
  private JsonNode drills(ListDrillsResponse list) throws IOException {
    ObjectNode drills = (ObjectNode) proto(list);
    List<DrillRun> runs = new ArrayList<>(list.getRunsList());
    list.getDrillsList().stream().filter(DrillInfo::hasLastRun).map(DrillInfo::getLastRun).forEach(runs::add);
    Optional<DrillRun> newest = runs.stream().max(Comparator.comparing((DrillRun r) -> r.getStartedAt().getSeconds())
        .thenComparing(r -> r.getStartedAt().getNanos()));
    if (newest.isPresent()) {
      try {
        GetDrillReportResponse report = call(admin::getDrillReport, GetDrillReportRequest.newBuilder()
            .setRunId(newest.get().getRunId()).setFormat(ReportFormat.REPORT_FORMAT_JSON).build());
        ObjectNode latest = drills.putObject("latest");
        latest.set("run", proto(report.getRun()));
        latest.set("report", json.readTree(report.getBody()));
      } catch (StatusException e) {
        // A run in progress on another replica (the leader) has no report here yet: its summary stands.
        drills.putObject("latest").set("run", proto(newest.get()));
      }
    }
    return drills;
  }

  private JsonNode proto(MessageOrBuilder message) throws IOException {
    return json.readTree(PROTO_JSON.print(message));
  }

  /** Calls one of the admin service's methods in process and returns its answer, or throws its status. */
  static <Q, R> R call(BiConsumer<Q, StreamObserver<R>> method, Q request) throws StatusException {
    List<R> answer = new ArrayList<>(1);
    List<Throwable> error = new ArrayList<>(1);
    method.accept(request, new StreamObserver<R>() {
      @Override
      public void onNext(R value) {
        answer.add(value);
      }

      @Override
      public void onError(Throwable t) {
        error.add(t);
      }

      @Override
      public void onCompleted() {}
    });
    if (!error.isEmpty()) {
      throw Status.fromThrowable(error.getFirst()).asException();
    }
    if (answer.isEmpty()) {
      throw Status.INTERNAL.withDescription("no answer").asException();
    }
    return answer.getFirst();
  }
}
