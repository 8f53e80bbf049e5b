package dev.dialtone.chaos.drill;

/** The kind of dependency a drill breaks; mirrors the region agent's probe kinds. */
public enum DependencyKind {
  LLM,
  DB,
  CACHE,
  CARRIER
}
