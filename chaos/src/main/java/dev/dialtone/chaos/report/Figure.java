package dev.dialtone.chaos.report;

/**
 * One measured figure of a drill against its objective: {@code measured} / {@code objective} are
 * display text ({@code 2.7s}, {@code 0}), the millis fields are for machines (null when not a
 * time or not observed), {@code met} is null when there is no objective.
 */
public record Figure(
    String name, String measured, Long measuredMillis, String objective, Long objectiveMillis, Boolean met) {}
