package dev.dialtone.controlplane.loop;

import dev.dialtone.controlplane.policy.Decision;
import dev.dialtone.controlplane.policy.LifecycleChange;
import dev.dialtone.controlplane.policy.PlacementPolicy;
import dev.dialtone.controlplane.policy.PolicyInput;
import java.util.List;

/** What the loop asks for decisions: the placement policy in production, a script in scenario tests. */
public interface DecisionSource {
  Decision decide(PolicyInput in);

  default List<LifecycleChange> lifecycleChanges(PolicyInput in) {
    return List.of();
  }

  /** The real placement policy. */
  static DecisionSource of(PlacementPolicy policy) {
    return new DecisionSource() {
      @Override
      public Decision decide(PolicyInput in) {
        return policy.decide(in);
      }

      @Override
      public List<LifecycleChange> lifecycleChanges(PolicyInput in) {
        return policy.lifecycleChanges(in);
      }
    };
  }
}
