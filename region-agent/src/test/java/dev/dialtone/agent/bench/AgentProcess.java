package dev.dialtone.agent.bench;

import dev.dialtone.agent.RegionAgent;
import dev.dialtone.agent.config.AgentConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs one region agent from a YAML file until the JVM is told to stop; the benchmark's subject. */
public final class AgentProcess {
  private AgentProcess() {}

  public static void main(String[] args) throws InterruptedException {
    var config = AgentConfig.loader(System.getenv()).load(Path.of(args[0]));
    RegionAgent agent = RegionAgent.create(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }));
    agent.start();
    stopped.await();
  }
}
