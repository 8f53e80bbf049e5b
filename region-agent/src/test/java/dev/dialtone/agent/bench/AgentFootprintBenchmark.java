package dev.dialtone.agent.bench;

import dev.dialtone.agent.testing.SipOptionsResponder;
import dev.dialtone.agent.testing.TestReplica;
import dev.dialtone.peers.llm.OpenAiStandIn;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prints the agent's resident memory and CPU while it probes four real dependencies (LLM
 * stand-in, PostgreSQL, Redis, SIP over UDP) at 1 Hz and streams to three gRPC replicas. The
 * agent runs in its own JVM so the figures are its own; the peers and replicas run here.
 * Targets: ≤ 96 MB RSS, ≤ 2 % of one core. Not a timed test: it prints figures.
 *
 * <p>Arguments: {@code [seconds=60] [warmupSeconds=10] [extra JVM options for the agent...]}.
 */
public final class AgentFootprintBenchmark {
  private AgentFootprintBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    List<String> jvmOptions = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
    Path work = Files.createTempDirectory("dialtone-footprint-");
    try (RedisServer redis = new RedisServer(Files.createDirectories(work.resolve("redis")));
        PostgresServer pg = new PostgresServer(Files.createTempDirectory("dialtone-footprint-pg-"));
        OpenAiStandIn llm = new OpenAiStandIn(work);
        SipOptionsResponder sip = new SipOptionsResponder();
        TestReplica r1 = new TestReplica().start();
        TestReplica r2 = new TestReplica().start();
        TestReplica r3 = new TestReplica().start()) {
      redis.start();
      pg.start();
      llm.start();
      Path config = work.resolve("agent.yaml");
      Files.writeString(config, """
          deployment: bench
          region: us-east
          http: { port: 0 }
          controlPlane: { replicas: ["%s", "%s", "%s"], plaintext: true }
          probes:
            - { name: openai, llm: { baseUrl: "%s", apiKey: env:BENCH_LLM_KEY } }
            - { name: db, postgres: { jdbcUrl: "%s", user: %s } }
            - { name: cache, redis: { uri: "%s", probeKey: "dialtone:probe" } }
            - { name: carrier, sip: { uri: "sip:127.0.0.1:%d;transport=udp" } }
          """.formatted(r1.target(), r2.target(), r3.target(), llm.baseUrl(), pg.jdbcUrl(), PostgresServer.USER,
          redis.uri(), sip.port()));

      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentProcess.class.getName(), config.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(work.resolve("agent.log").toFile());
      builder.environment().put("BENCH_LLM_KEY", llm.apiKey());
      // glibc's per-thread malloc arenas inflate RSS of a many-threaded JVM; two are plenty here.
      String arenas = System.getProperty("bench.mallocArenaMax", "2");
      if (!arenas.isEmpty()) {
        builder.environment().put("MALLOC_ARENA_MAX", arenas);
      }
      Process agent = builder.start();
      try {
        TimeUnit.SECONDS.sleep(warmup);
        long pid = agent.pid();
        long ticksBefore = cpuTicks(pid);
        long nanosBefore = System.nanoTime();
        long sentBefore = r1.received().size() + r2.received().size() + r3.received().size();
        long maxRss = 0;
        long sumRss = 0;
        for (int i = 0; i < seconds; i++) {
          TimeUnit.SECONDS.sleep(1);
          long rss = rssKb(pid);
          maxRss = Math.max(maxRss, rss);
          sumRss += rss;
        }
        double wall = (System.nanoTime() - nanosBefore) / 1e9;
        double cpuSeconds = (cpuTicks(pid) - ticksBefore) / 100.0;
        long reports = r1.received().size() + r2.received().size() + r3.received().size() - sentBefore;
        System.out.printf("agent JVM options: %s; MALLOC_ARENA_MAX=%s%n",
            jvmOptions.isEmpty() ? "(defaults)" : String.join(" ", jvmOptions), arenas.isEmpty() ? "(unset)" : arenas);
        System.out.printf("window: %d s after %d s warm-up; 4 probes at 1 Hz; 3 replicas%n", seconds, warmup);
        System.out.printf("RSS: max %.1f MB, mean %.1f MB (target <= 96 MB)%n", maxRss / 1024.0, sumRss / 1024.0 / seconds);
        System.out.printf("CPU: %.2f %% of one core (%.2f s CPU in %.1f s; target <= 2 %%)%n", 100 * cpuSeconds / wall, cpuSeconds, wall);
        System.out.printf("reports received by the 3 replicas: %d (%.1f/s each)%n", reports, reports / wall / 3);
      } finally {
        agent.destroy();
        agent.waitFor(10, TimeUnit.SECONDS);
        agent.destroyForcibly();
      }
    }
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }

  /** utime + stime of the process, in clock ticks (USER_HZ = 100 on Linux). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name: field 3 is state, so utime (14) and stime (15) are at indexes 11 and 12.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

}
