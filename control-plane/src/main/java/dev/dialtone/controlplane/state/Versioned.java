package dev.dialtone.controlplane.state;

/** A value read from a znode with the znode version a compare-and-set must name. */
public record Versioned<T>(T value, int version) {}
