package dev.dialtone.chaos.drill;

/** The dependency a drill breaks: its kind and its name in the region's configuration. */
public record DrillTarget(DependencyKind kind, String dependency) {}
