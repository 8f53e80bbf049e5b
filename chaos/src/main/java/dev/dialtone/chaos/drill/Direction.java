package dev.dialtone.chaos.drill;

/** Which way through the proxy a toxic acts: client → dependency (upstream) or back (downstream). */
public enum Direction {
  UPSTREAM,
  DOWNSTREAM
}
