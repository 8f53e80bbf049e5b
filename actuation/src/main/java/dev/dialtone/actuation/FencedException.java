package dev.dialtone.actuation;

/** The caller's epoch is older than the one that owns the target: a newer leader has acted. */
public final class FencedException extends ActuationException {
  private static final long serialVersionUID = 1L;

  private final long callerEpoch;
  private final long ownerEpoch;

  public FencedException(String actuator, long callerEpoch, long ownerEpoch) {
    super(
        Failure.FENCED,
        actuator,
        "epoch " + callerEpoch + " is stale: the target is owned by epoch " + ownerEpoch);
    this.callerEpoch = callerEpoch;
    this.ownerEpoch = ownerEpoch;
  }

  public long callerEpoch() {
    return callerEpoch;
  }

  /** The newer epoch seen at the target, or {@code -1} if the guard could only tell it is not ours. */
  public long ownerEpoch() {
    return ownerEpoch;
  }
}
