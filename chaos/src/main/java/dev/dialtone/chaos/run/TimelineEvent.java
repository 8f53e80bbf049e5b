package dev.dialtone.chaos.run;

import java.time.Instant;

/** One point of a drill's timeline. */
public record TimelineEvent(Instant at, EventKind kind, String detail) {}
