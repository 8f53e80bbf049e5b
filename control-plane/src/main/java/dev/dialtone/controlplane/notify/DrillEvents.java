package dev.dialtone.controlplane.notify;

import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event a game day's history entry makes: a drill started, or ended passed, failed or
 * aborted (the game-day service and the admin API record them in these words), one per run and phase.
 */
final class DrillEvents {
  private static final Pattern STARTED = Pattern.compile("drill (\\S+) started as run (\\S+)");
  private static final Pattern ENDED = Pattern.compile("drill (\\S+) run (\\S+) ended (PASSED|FAILED|ABORTED)");

  private DrillEvents() {}

  static Optional<Notification> of(String deployment, HistoryEntry e) {
    if (e.kind() != HistoryKind.DRILL) {
      return Optional.empty();
    }
    Matcher started = STARTED.matcher(e.summary());
    if (started.matches()) {
      return Optional.of(event(deployment, e, EventKind.DRILL_STARTED, started.group(1), started.group(2), "started"));
    }
    Matcher ended = ENDED.matcher(e.summary());
    if (ended.matches()) {
      EventKind kind = switch (ended.group(3)) {
        case "PASSED" -> EventKind.DRILL_PASSED;
        case "FAILED" -> EventKind.DRILL_FAILED;
        default -> EventKind.DRILL_ABORTED;
      };
      return Optional.of(event(deployment, e, kind, ended.group(1), ended.group(2), ended.group(3).toLowerCase()));
    }
    return Optional.empty();
  }

  private static Notification event(String deployment, HistoryEntry e, EventKind kind, String drill, String run, String phase) {
    return new Notification("drill-" + run + "-" + phase, kind, null, deployment, "", "", "game day: " + e.summary(),
        Map.of("drill", drill, "run", run, "reason", e.reason(), "principal", e.principal()), null, e.at());
  }
}
