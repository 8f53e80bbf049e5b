package dev.dialtone.controlplane.health;

/**
 * What {@link HealthView#ingest} did with a report.
 *
 * @param outcome accepted, dropped as duplicate or out of order, or rejected
 * @param reason why it was rejected; {@code null} otherwise
 * @param detail what exactly was wrong, for the gRPC status and logs; empty unless rejected
 */
public record IngestResult(Outcome outcome, Reason reason, String detail) {

  private static final IngestResult ACCEPTED = new IngestResult(Outcome.ACCEPTED, null, "");
  private static final IngestResult DUPLICATE = new IngestResult(Outcome.DUPLICATE, null, "");
  private static final IngestResult STALE = new IngestResult(Outcome.STALE, null, "");

  /** The four outcomes. */
  public enum Outcome {
    /** Newer than anything seen from its agent: applied. */
    ACCEPTED,
    /** The same (incarnation, sequence) as the last one applied: dropped. */
    DUPLICATE,
    /** Older than the last one applied (out of order, or from a previous incarnation): dropped. */
    STALE,
    /** Not acceptable at all: see {@link Reason}. */
    REJECTED
  }

  /** Why a report was rejected; {@link #metricName()} is its counter's suffix. */
  public enum Reason {
    /** For another deployment. */
    UNKNOWN_DEPLOYMENT,
    /** For a region that is not registered. */
    UNKNOWN_REGION,
    /** A required field is missing or unspecified. */
    MALFORMED,
    /** Larger than the configured limit. */
    OVERSIZED,
    /** Observed further in the future than the staleness bound allows. */
    CLOCK_SKEW;

    /** E.g. {@code unknown_region}. */
    public String metricName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Applied. */
  public static IngestResult accepted() {
    return ACCEPTED;
  }

  /** Dropped: already seen. */
  public static IngestResult duplicate() {
    return DUPLICATE;
  }

  /** Dropped: older than what was applied. */
  public static IngestResult stale() {
    return STALE;
  }

  /** Rejected for {@code reason}, {@code detail} saying what exactly. */
  public static IngestResult rejected(Reason reason, String detail) {
    return new IngestResult(Outcome.REJECTED, reason, detail);
  }
}
