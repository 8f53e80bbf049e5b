package dev.dialtone.controlplane.health;

import dev.dialtone.proto.v1.LeaderView;
import java.util.function.Consumer;

/** This replica's view of who leads, for the directives sent to agents. */
public interface LeaderViewSource {

  /** The current view. */
  LeaderView current();

  /** Calls {@code listener} with each new view, on any thread, for the life of the source. */
  void addListener(Consumer<LeaderView> listener);
}
