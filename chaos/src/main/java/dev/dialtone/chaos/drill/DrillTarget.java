package dev.dialtone.chaos.drill;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The dependency a drill breaks: its kind and its name in the region's configuration. */
public record DrillTarget(
    @NotNull DependencyKind kind,
    @NotNull @Pattern(regexp = DrillDefinition.NAME, message = DrillDefinition.NAME_RULE) String dependency) {}
