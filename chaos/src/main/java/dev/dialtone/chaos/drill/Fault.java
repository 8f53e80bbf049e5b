package dev.dialtone.chaos.drill;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;

/**
 * One fault of a drill, applied as a Toxiproxy toxic on the target's proxy ({@code down} disables
 * the proxy instead). Fields the file leaves out are {@code null} here and reported by {@link
 * DrillFileReader}; optional ones get their defaults in the constructors.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Fault.Latency.class, name = "latency"),
  @JsonSubTypes.Type(value = Fault.Timeout.class, name = "timeout"),
  @JsonSubTypes.Type(value = Fault.ResetPeer.class, name = "reset_peer"),
  @JsonSubTypes.Type(value = Fault.Bandwidth.class, name = "bandwidth"),
  @JsonSubTypes.Type(value = Fault.Slicer.class, name = "slicer"),
  @JsonSubTypes.Type(value = Fault.Down.class, name = "down")
})
public sealed interface Fault {
  /** Probability (0..1) that a connection is affected. */
  @jakarta.validation.constraints.DecimalMin(value = "0", message = "must be between 0 and 1")
  @jakarta.validation.constraints.DecimalMax(value = "1", message = "must be between 0 and 1")
  @jakarta.validation.Constraint(validatedBy = {})
  @java.lang.annotation.Target({java.lang.annotation.ElementType.FIELD, java.lang.annotation.ElementType.METHOD,
      java.lang.annotation.ElementType.PARAMETER})
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @interface Toxicity {
    String message() default "must be between 0 and 1";

    Class<?>[] groups() default {};

    Class<? extends jakarta.validation.Payload>[] payload() default {};
  }

  /** The fault type as written in drill files, e.g. {@code reset_peer}. */
  String type();

  /** Direction of the toxic; {@code down} acts on both and reports {@link Direction#DOWNSTREAM}. */
  Direction direction();

  /** Probability (0..1) that a connection is affected. */
  Double toxicity();

  private static Direction orDownstream(Direction direction) {
    return direction == null ? Direction.DOWNSTREAM : direction;
  }

  private static Double orAll(Double toxicity) {
    return toxicity == null ? 1.0 : toxicity;
  }

  /** Adds {@code latency} ± {@code jitter} to the data. */
  record Latency(@NotNull Duration latency, Duration jitter, Direction direction, @Toxicity Double toxicity) implements Fault {
    public Latency {
      jitter = jitter == null ? Duration.ZERO : jitter;
      direction = orDownstream(direction);
      toxicity = orAll(toxicity);
    }

    @Override
    public String type() {
      return "latency";
    }
  }

  /** Stops all data and closes the connection after {@code timeout} (0 = never: a blackhole). */
  record Timeout(@NotNull(message = "is required (0 = never answer: a blackhole)") Duration timeout, Direction direction, @Toxicity Double toxicity) implements Fault {
    public Timeout {
      direction = orDownstream(direction);
      toxicity = orAll(toxicity);
    }

    @Override
    public String type() {
      return "timeout";
    }
  }

  /** Resets connections (TCP RST) after {@code timeout}. */
  record ResetPeer(@NotNull Duration timeout, Direction direction, @Toxicity Double toxicity) implements Fault {
    public ResetPeer {
      direction = orDownstream(direction);
      toxicity = orAll(toxicity);
    }

    @Override
    public String type() {
      return "reset_peer";
    }
  }

  /** Limits throughput to {@code rate} KB/s. */
  record Bandwidth(@NotNull @Min(value = 0, message = "must not be negative (KB/s)") Long rate, Direction direction, @Toxicity Double toxicity) implements Fault {
    public Bandwidth {
      direction = orDownstream(direction);
      toxicity = orAll(toxicity);
    }

    @Override
    public String type() {
      return "bandwidth";
    }
  }

  /** Slices data into {@code averageSize} ± {@code sizeVariation} byte chunks {@code delay} apart. */
  record Slicer(@NotNull @Min(value = 1, message = "must be positive (bytes)") Long averageSize,
      @Min(value = 0, message = "must not be negative") Long sizeVariation, Duration delay, Direction direction, @Toxicity Double toxicity)
      implements Fault {
    public Slicer {
      sizeVariation = sizeVariation == null ? 0L : sizeVariation;
      delay = delay == null ? Duration.ZERO : delay;
      direction = orDownstream(direction);
      toxicity = orAll(toxicity);
    }

    @Override
    public String type() {
      return "slicer";
    }
  }

  /** Disables the proxy: connections are refused, the hardest fault. */
  record Down() implements Fault {
    @Override
    public String type() {
      return "down";
    }

    @Override
    public Direction direction() {
      return Direction.DOWNSTREAM;
    }

    @Override
    public Double toxicity() {
      return 1.0;
    }
  }
}
