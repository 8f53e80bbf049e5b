package dev.dialtone.chaos.run;

/** What the world says before a drill starts; the drill's guardrails decide if it may. */
public record PreflightFacts(boolean standbyHealthy, boolean planInFlight, boolean frozen, boolean incidentElsewhere) {}
