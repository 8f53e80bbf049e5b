package dev.dialtone.actuation;

/**
 * Moves traffic by one means (DNS, carrier routing). Every call carries the leader's epoch and
 * the actuator refuses a stale one, either with its server's conditional write or through an
 * {@link EpochGuard}. Implementations are idempotent: applying the same target twice is a no-op.
 */
public interface TrafficActuator {

  /** A stable name for logs, metrics and plan steps, e.g. {@code dns/rfc2136}. */
  String name();

  /** Reads what the target holds now. */
  ObservedRouting read() throws ActuationException;

  /**
   * Makes the target route as {@code target} says, recording {@code epoch} as the owner.
   *
   * @param planId the plan this step belongs to, for logs and the server-side record
   * @throws FencedException if a newer epoch owns the target; nothing was changed
   */
  void apply(long epoch, String planId, TrafficTarget target) throws ActuationException;

  /**
   * Reads back and confirms that the target routes as {@code target} says under {@code epoch}.
   *
   * @throws ActuationException ({@link ActuationException.Failure#TRANSIENT}) if it does not yet
   */
  default void verify(long epoch, TrafficTarget target) throws ActuationException {
    ObservedRouting seen = read();
    if (seen.ownerEpoch() > epoch) {
      throw new FencedException(name(), epoch, seen.ownerEpoch());
    }
    if (!seen.matches(target)) {
      throw new ActuationException(
          ActuationException.Failure.TRANSIENT,
          name(),
          "read back " + seen.detail() + ", expected " + target.describe());
    }
  }
}
