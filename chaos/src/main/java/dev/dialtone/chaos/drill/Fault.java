package dev.dialtone.chaos.drill;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;

/**
 * One fault of a drill, applied as a Toxiproxy toxic on the target's proxy ({@code down} disables
 * the proxy instead). Fields the file leaves out are {@code null} here and reported by {@link
 * DrillValidator}; optional ones get their defaults in the constructors.
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
  record Latency(Duration latency, Duration jitter, Direction direction, Double toxicity) implements Fault {
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
  record Timeout(Duration timeout, Direction direction, Double toxicity) implements Fault {
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
  record ResetPeer(Duration timeout, Direction direction, Double toxicity) implements Fault {
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
  record Bandwidth(Long rate, Direction direction, Double toxicity) implements Fault {
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
  record Slicer(Long averageSize, Long sizeVariation, Duration delay, Direction direction, Double toxicity)
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
