package dev.dialtone.chaos.fault;

import java.time.Instant;

/**
 * A toxic as recorded in ZooKeeper before it is injected, so that whoever leads next can find
 * and heal it: {@code toxic} is the Toxiproxy toxic name ({@code type} {@code down} disables the
 * proxy instead of adding a toxic).
 */
public record ToxicRecord(
    String id, String proxy, String toxic, String type, String runId, long epoch, Instant injectedAt) {}
