package dev.dialtone.controlplane.notify;

import java.time.Instant;

/** One receiver's outcome for one outbox event: delivered, or given up on (with why). */
record DeliveryMark(String receiver, boolean delivered, int attempts, String why, long epoch, Instant at) {}
