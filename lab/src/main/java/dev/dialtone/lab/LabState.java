package dev.dialtone.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dialtone.peers.zookeeper.ZooKeeperServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a running lab tells other processes ({@code <work>/lab.json}): the Toxiproxy API and, for
 * every Dialtone and ZooKeeper process, its pid and the proxies in front of its links, so {@code
 * dialtone lab fault} can kill, stop, continue or cut off a process of a held lab.
 *
 * @param toxiproxyApiPort the Toxiproxy API on 127.0.0.1
 */
public record LabState(int toxiproxyApiPort, List<Entry> processes) {
  /** How the lab writes the files other processes read ({@code lab.json}, {@code pipeline.json}). */
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One process: name, kind, pid, and proxies (to ZooKeeper; the agents' path to it). */
  public record Entry(String name, String kind, long pid, int grpcPort, List<String> zookeeperProxies, String agentProxy) {}

  /** The state of a running lab: its replicas and agents, then its ZooKeeper servers. */
  static LabState of(int toxiproxyApiPort, Collection<LabProcess> processes, ZooKeeperServers zookeeper) {
    List<Entry> entries = new ArrayList<>();
    for (LabProcess p : processes) {
      entries.add(new Entry(p.name(), p.kind().name().toLowerCase(java.util.Locale.ROOT), p.process().pid().orElse(-1L),
          p.grpcPort(), p.zookeeperProxies(), p.agentProxy()));
    }
    for (ZooKeeperServers.Server s : zookeeper.servers()) {
      entries.add(new Entry("zk" + s.id(), "zookeeper",
          s.process().flatMap(pp -> pp.mainProcess()).map(ProcessHandle::pid).orElse(-1L), 0, List.of(), ""));
    }
    return new LabState(toxiproxyApiPort, entries);
  }

  /** Writes this state as {@code lab.json} for {@code dialtone lab fault} and the benchmarks. */
  void write(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this));
  }

  /** Reads a running lab's state from its work directory. */
  public static LabState read(Path workDir) throws IOException {
    Path file = workDir.resolve("lab.json");
    if (!Files.isReadable(file)) {
      throw new IOException("no running lab in " + workDir + " (" + file + " is missing): start one with"
          + " `dialtone lab --hold 10m --work-dir " + workDir + "`");
    }
    return JSON.readValue(file.toFile(), LabState.class);
  }

  /** The entry called {@code name}. */
  public Entry entry(String name) {
    return processes.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("no lab process '" + name + "'; known: " + processes.stream().map(Entry::name).toList()));
  }
}
