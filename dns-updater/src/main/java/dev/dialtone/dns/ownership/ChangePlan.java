package dev.dialtone.dns.ownership;

import dev.dialtone.dns.provider.ChangeSet;

/** What {@link ChangePlanner} decided, with the reason. */
public sealed interface ChangePlan {

  /** Why, in one line, for logs and the break-glass output. */
  String reason();

  /** The zone already holds the desired records under this epoch: nothing to send. */
  record UpToDate(String reason) implements ChangePlan {}

  /** A newer epoch of our deployment owns a name: the caller is stale and must stop. */
  record Fenced(long ownerEpoch, String reason) implements ChangePlan {}

  /** A name is owned by someone else (another deployment, or unowned data): never touch it. */
  record Foreign(String name, String reason) implements ChangePlan {}

  /** Send this change set. */
  record Apply(ChangeSet change, String reason) implements ChangePlan {}
}
