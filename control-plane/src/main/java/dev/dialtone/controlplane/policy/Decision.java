package dev.dialtone.controlplane.policy;

import java.util.List;
import java.util.Map;

/** What the placement policy decided, always with a human-readable reason. */
public sealed interface Decision {

  /** Why, in one sentence an SRE can read in the history. */
  String reason();

  /** Whether applying it changes routing (a plan must run). */
  default boolean actionable() {
    return this instanceof Shift || this instanceof EnterOutage || this instanceof LeaveOutage;
  }

  /** Nothing to do. */
  record NoChange(String reason) implements Decision {}

  /**
   * Move traffic from {@code from} to {@code to}.
   *
   * @param order every region to route, {@code to} first, then standbys in fallback order
   * @param evidence the facts the decision rests on, for the history
   */
  record Shift(String from, String to, List<String> order, String reason, Map<String, String> evidence)
      implements Decision {
    public Shift {
      order = List.copyOf(order);
      evidence = Map.copyOf(evidence);
      if (order.isEmpty() || !order.get(0).equals(to)) {
        throw new IllegalArgumentException("shift order must start with " + to + " (was " + order + ")");
      }
    }
  }

  /** No region can serve: send calls to the fallback destinations. */
  record EnterOutage(String reason, Map<String, String> evidence) implements Decision {
    public EnterOutage {
      evidence = Map.copyOf(evidence);
    }
  }

  /** A region can serve again: route to {@code order}, {@code to} first. */
  record LeaveOutage(String to, List<String> order, String reason, Map<String, String> evidence)
      implements Decision {
    public LeaveOutage {
      order = List.copyOf(order);
      evidence = Map.copyOf(evidence);
      if (order.isEmpty() || !order.get(0).equals(to)) {
        throw new IllegalArgumentException("order must start with " + to + " (was " + order + ")");
      }
    }
  }

  /** MANUAL mode: what AUTO would have done, for an operator to act on. */
  record Recommend(Decision wouldDo, String reason) implements Decision {}

  /** Do not move and alert: e.g. every region silent at once means this observer is cut off. */
  record HoldStill(String reason, Map<String, String> evidence) implements Decision {
    public HoldStill {
      evidence = Map.copyOf(evidence);
    }
  }
}
