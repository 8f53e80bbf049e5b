package dev.dialtone.controlplane.health;

import dev.dialtone.proto.v1.DependencyKind;
import java.time.Duration;
import java.time.Instant;

/**
 * The latest result of one dependency of one region.
 *
 * @param name the dependency's configured name, unique within its region's agent
 * @param kind what kind of dependency it is
 * @param status the agent's verdict; {@link RegionStatus#UNKNOWN} while the probe has none yet
 * @param critical whether the region cannot serve calls without it
 * @param latency latency of the latest attempt ({@link Duration#ZERO} if none was reported)
 * @param errorText the latest attempt's error, empty when healthy
 * @param receivedAt when this replica received the report carrying it
 */
public record DependencyHealth(
    String name,
    DependencyKind kind,
    RegionStatus status,
    boolean critical,
    Duration latency,
    String errorText,
    Instant receivedAt) {}
