package dev.dialtone.lab.campaign;

/** What a campaign schedule can do to the process lab. */
public enum FaultKind {
  /** kill -9 of the leading replica's process; restarted from its file when healed. */
  KILL_LEADER(false, true),
  /** kill -9 of a follower replica; restarted when healed. */
  KILL_FOLLOWER(false, true),
  /** SIGSTOP of the leader (a long pause with its sockets open); SIGCONT when healed. */
  STALL_LEADER(false, true),
  /** SIGSTOP of a follower. */
  STALL_FOLLOWER(false, true),
  /**
   * SIGSTOP of the leader the moment the active region's LLM goes down: the stalled leader cannot
   * act, so its successor must move the traffic (the time until it has is a campaign figure).
   */
  STALL_LEADER_IN_FAILOVER(true, true),
  /** A replica's links to every ZooKeeper server blackholed. */
  CUT_REPLICA_FROM_ZOOKEEPER(false, true),
  /** A replica's link from the agents blackholed (their reports stop reaching it). */
  CUT_REPLICA_FROM_AGENTS(false, true),
  /** A region's agent killed: the region goes silent, as if the whole region died. */
  KILL_AGENT(true, false),
  /**
   * A whole region dies: its SIP edge blackholed (every packet to it dropped in its network
   * namespace) and its agent killed, so calls routed there fail until the traffic moves.
   */
  REGION_DOWN(true, false),
  /**
   * A region's agent clock runs minutes ahead (libfaketime): the replicas refuse its reports as
   * from the future, so the region goes silent to them, as a regional fault.
   */
  CLOCK_AHEAD(true, false),
  /** A region's agent clock runs minutes behind: its reports still count (they are ordered by arrival), so nothing may move. */
  CLOCK_BEHIND(false, false),
  /** A region's dependency stops answering (Toxiproxy proxy disabled). */
  DEPENDENCY_DOWN(true, false),
  /** A region's dependency answers 3 s late (a Toxiproxy latency toxic). */
  DEPENDENCY_LATENCY(true, false),
  /** A region's dependency accepts connections and never answers (a Toxiproxy timeout toxic). */
  DEPENDENCY_TIMEOUT(true, false),
  /** A region's dependency resets every connection (a Toxiproxy reset_peer toxic). */
  DEPENDENCY_RESET(true, false),
  /** An operator's planned switchover to another region, between faults. */
  SWITCHOVER(false, false),
  /** An operator's drain of a region (out of rotation, traffic moved off it first), cancelled when healed. */
  DRAIN(false, false),
  /** An operator's freeze (nothing may change while it holds), lifted when healed. */
  FREEZE(false, false),
  /** One ZooKeeper server killed (the quorum holds); started again with its data when healed. */
  KILL_ZOOKEEPER_SERVER(false, true),
  /** Two of the three ZooKeeper servers killed: no quorum, so no leader may act; calls must still flow. */
  QUORUM_LOST(false, true);

  private final boolean regional;
  private final boolean controlPlane;

  FaultKind(boolean regional, boolean controlPlane) {
    this.regional = regional;
    this.controlPlane = controlPlane;
  }

  /** True if it breaks a region as its agent sees it, so a failover off that region is expected. */
  public boolean regional() {
    return regional;
  }

  /** True if it faults a replica or ZooKeeper: a schedule holds one at most. */
  public boolean controlPlane() {
    return controlPlane;
  }

  /**
   * True if the region's agent falls silent under it (killed, or its reports refused): the policy
   * holds routing on a silent region by design (silence is not failure), so keeping it active is
   * no new route to it.
   */
  public boolean silencesAgent() {
    return this == KILL_AGENT || this == REGION_DOWN || this == CLOCK_AHEAD;
  }

  /** True if it is aimed at one region (the schedule picks which), fault or not. */
  public boolean targetsRegion() {
    return regional || this == CLOCK_BEHIND || this == DRAIN;
  }

  /** True if it is an operator's action rather than a fault. */
  public boolean operatorAction() {
    return this == SWITCHOVER || this == FREEZE || this == DRAIN;
  }
}
