package dev.dialtone.cli.dns;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.dns.epoch.ZooKeeperEpoch;
import dev.dialtone.dns.ownership.ChangePlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dialtone dns apply --region R}: routes DNS to region R (the others behind it in
 * priority order) or to the outage fallback, under the current epoch read from ZooKeeper, or
 * under {@code --force-epoch} when ZooKeeper is gone. Shows the change and asks first.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Routes DNS to a region (or outage mode) by hand, fenced like the control plane.")
public final class DnsApplyCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(DnsApplyCommand.class);
  /** Exit status when the user declines at the prompt. */
  static final int EXIT_DECLINED = 3;
  /** Exit status when a newer epoch owns the records. */
  static final int EXIT_FENCED = 4;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The deployment's YAML configuration.")
  Path config;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  /** Exactly one of a region or outage mode. */
  static final class Target {
    @Option(names = "--region", paramLabel = "R", description = "The region to make active; the others follow in priority order.")
    String region;

    @Option(names = "--outage", description = "Publish the outage-mode fallback targets.")
    boolean outage;
  }

  @Option(names = "--zookeeper", paramLabel = "CONNECT", description = "ZooKeeper connect string (default: the file's zookeeper.connect).")
  String zookeeper;

  @Option(names = "--zk-auth-file", paramLabel = "FILE", description = "A file holding the ZooKeeper digest identity user:password.")
  Path zkAuthFile;

  @Option(names = "--force-epoch", paramLabel = "N", description = "Act under epoch N without asking ZooKeeper (when it is gone). Logged loudly.")
  Long forceEpoch;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--dry-run", description = "Show what would change and stop.")
  boolean dryRun;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final InputStream stdin;

  /** Reads the confirmation from standard input. */
  public DnsApplyCommand() {
    this(System.in);
  }

  DnsApplyCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DnsSession session = DnsSession.open(config, err);
    if (session == null) {
      return DnsSession.EXIT_CONFIG;
    }
    try (session) {
      TrafficTarget wanted;
      try {
        wanted = target.outage ? new TrafficTarget.Outage() : routedTo(session.config.regions(), session.config.region(target.region));
      } catch (IllegalArgumentException e) {
        err.println("dialtone dns apply: " + e.getMessage());
        return 2;
      }
      long epoch;
      String deployment = session.config.dns().deployment();
      if (forceEpoch != null) {
        epoch = forceEpoch;
        String warning = "BREAK-GLASS: --force-epoch " + epoch + " given: ZooKeeper NOT consulted for deployment " + deployment
            + "; a leader with a newer epoch will overwrite this, and an epoch above the leader's fences it out of DNS";
        log.warn("[epoch={} plan=break-glass] {}", epoch, warning);
        err.println("*** " + warning + " ***");
      } else {
        try {
          epoch = epochFromZooKeeper(session, deployment);
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          err.println("dialtone dns apply: cannot read " + ZooKeeperEpoch.path(deployment) + " from ZooKeeper: " + e.getMessage()
              + "\n  if ZooKeeper is gone, run `dialtone dns show` and pass --force-epoch N");
          return 1;
        }
      }
      session.actuator.checkOwnership();
      ChangePlan plan = session.actuator.preview(epoch, wanted);
      out.println("dns apply " + wanted.describe() + " under epoch " + epoch + ": " + plan.reason());
      out.flush();
      if (plan instanceof ChangePlan.Fenced fenced) {
        err.println("dialtone dns apply: refused: epoch " + epoch + " is stale, DNS is owned by epoch " + fenced.ownerEpoch());
        return EXIT_FENCED;
      }
      if (dryRun || plan instanceof ChangePlan.UpToDate) {
        return 0;
      }
      if (!yes && !confirmed(out)) {
        err.println("dialtone dns apply: not applied");
        return EXIT_DECLINED;
      }
      String planId = "break-glass-" + System.getProperty("user.name", "sre");
      log.warn("[epoch={} plan={}] break-glass DNS apply: {}", epoch, planId, wanted.describe());
      session.actuator.apply(epoch, planId, wanted);
      session.actuator.verify(epoch, wanted);
      out.println("applied and read back: " + wanted.describe() + " under epoch " + epoch);
      out.flush();
      return 0;
    } catch (ActuationException e) {
      return DnsSession.failed(err, e);
    }
  }

  static TrafficTarget.Routed routedTo(List<RegionEdge> regions, RegionEdge active) {
    List<RegionEdge> ordered = new ArrayList<>();
    ordered.add(active);
    regions.stream().filter(r -> !r.regionId().equals(active.regionId())).forEach(ordered::add);
    return new TrafficTarget.Routed(ordered);
  }

  private boolean confirmed(PrintWriter out) throws IOException {
    out.print("Type 'yes' to apply: ");
    out.flush();
    String answer = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
    return answer != null && answer.strip().equalsIgnoreCase("yes");
  }

  private long epochFromZooKeeper(DnsSession session, String deployment) throws Exception {
    String connect = zookeeper != null ? zookeeper : session.config.zookeeperConnect();
    if (connect == null) {
      throw new IllegalArgumentException("no --zookeeper and no zookeeper.connect in " + config);
    }
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(connect)
            .retryPolicy(new RetryOneTime(500))
            .connectionTimeoutMs(5_000)
            .sessionTimeoutMs(10_000);
    if (zkAuthFile != null) {
      builder.authorization("digest", Files.readString(zkAuthFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
    }
    try (CuratorFramework client = builder.build()) {
      client.start();
      if (!client.blockUntilConnected(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not connected to " + connect + " within 5 s");
      }
      long epoch = ZooKeeperEpoch.read(client, deployment);
      log.info("[epoch={} plan=break-glass] read epoch from ZooKeeper {}", epoch, connect);
      return epoch;
    }
  }
}
