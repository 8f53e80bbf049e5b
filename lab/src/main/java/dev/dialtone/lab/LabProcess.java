package dev.dialtone.lab;

import dev.dialtone.peers.dialtone.DialtoneProcess;
import java.nio.file.Path;
import java.util.List;

/**
 * One of the lab's Dialtone processes, as a host of a real deployment would run it: a replica
 * ({@code dialtone control-plane --config cp-N.yaml}) or a region agent ({@code dialtone agent
 * --config agent-<region>.yaml}), with the Toxiproxy proxies in front of its links so a test or
 * an operator can cut them.
 *
 * @param name {@code cp-1}, {@code agent-us-east}
 * @param kind replica or agent
 * @param config its YAML file
 * @param grpcPort a replica's gRPC port (agents and operators), {@code 0} for an agent
 * @param httpPort its {@code /metrics} port ({@code /healthz}, {@code /readyz} for an agent)
 * @param zookeeperProxies a replica's proxies to each ZooKeeper server (cut them: cut off from ZooKeeper)
 * @param agentProxy a replica's proxy the agents report through (cut it: cut off from the agents)
 */
public record LabProcess(
    String name, Kind kind, Path config, int grpcPort, int httpPort, List<String> zookeeperProxies, String agentProxy,
    DialtoneProcess process) {
  /** Which kind of lab process. */
  public enum Kind { REPLICA, AGENT }

  public LabProcess {
    zookeeperProxies = List.copyOf(zookeeperProxies);
  }
}
