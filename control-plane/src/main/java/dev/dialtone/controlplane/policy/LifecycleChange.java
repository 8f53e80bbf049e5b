package dev.dialtone.controlplane.policy;

import dev.dialtone.controlplane.model.Lifecycle;

/**
 * A lifecycle move the state layer should apply, e.g. PROVISIONING → STANDBY once healthy.
 *
 * @param regionId the region
 * @param from its current state
 * @param to the state it should move to
 * @param reason why, for the history
 */
public record LifecycleChange(String regionId, Lifecycle from, Lifecycle to, String reason) {}
