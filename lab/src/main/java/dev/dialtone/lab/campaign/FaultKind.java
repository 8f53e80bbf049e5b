package dev.dialtone.lab.campaign;

/** What a campaign schedule can do to the process lab. */
public enum FaultKind {
  /** kill -9 of the leading replica's process; restarted from its file when healed. */
  KILL_LEADER(false),
  /** kill -9 of a follower replica; restarted when healed. */
  KILL_FOLLOWER(false),
  /** SIGSTOP of the leader (a long pause with its sockets open); SIGCONT when healed. */
  STALL_LEADER(false),
  /** SIGSTOP of a follower. */
  STALL_FOLLOWER(false),
  /** A replica's links to every ZooKeeper server blackholed. */
  CUT_REPLICA_FROM_ZOOKEEPER(false),
  /** A replica's link from the agents blackholed (their reports stop reaching it). */
  CUT_REPLICA_FROM_AGENTS(false),
  /** A region's agent killed: the region goes silent, as if the whole region died. */
  KILL_AGENT(true),
  /** A region's dependency stops answering (Toxiproxy proxy disabled). */
  DEPENDENCY_DOWN(true),
  /** A region's dependency answers 3 s late (a Toxiproxy latency toxic). */
  DEPENDENCY_LATENCY(true),
  /** An operator's planned switchover to another region, between faults. */
  SWITCHOVER(false),
  /** One ZooKeeper server killed (the quorum holds); started again with its data when healed. */
  KILL_ZOOKEEPER_SERVER(false),
  /** Two of the three ZooKeeper servers killed: no quorum, so no leader may act; calls must still flow. */
  QUORUM_LOST(false);

  private final boolean regional;

  FaultKind(boolean regional) {
    this.regional = regional;
  }

  /** True if it breaks a region as its agent sees it, so a failover off that region is expected. */
  public boolean regional() {
    return regional;
  }
}
