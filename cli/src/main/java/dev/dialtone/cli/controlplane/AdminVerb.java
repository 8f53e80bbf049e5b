package dev.dialtone.cli.controlplane;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.config.Backoff;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * An operator verb: one AdminService call, printed as a table or JSON. Exit codes: 0 done, 1
 * refused by a rule (or not the leader), 2 usage, 3 control plane unreachable, 78 a TLS file or
 * server address that cannot be used (sysexits EX_CONFIG).
 */
abstract class AdminVerb<T extends Message> implements Callable<Integer> {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;
  static final int CONFIG = dev.dialtone.config.ConfigException.EXIT_CODE;

  /** Between rounds over every replica while none leads: 250 ms, doubling up to 2 s. */
  private static final Backoff ELECTION_BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

  /** How the CLI waits between rounds. */
  Sleeper sleeper = Sleeper.system();

  @Mixin AdminOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Makes the call. */
  abstract T invoke(AdminServiceGrpc.AdminServiceBlockingStub admin);

  /** The answer for humans. */
  abstract String table(T answer);

  /** Why an answer that came back is still not what the operator asked for (exit 1); empty when it is. */
  Optional<String> problem(T answer, AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return Optional.empty();
  }

  /**
   * Whether the call may be made again on another replica when one is unreachable mid-call: true
   * for the single-call verbs (each is idempotent: a switchover already done answers "already
   * active"), false for verbs that make several calls (a drill run must not start twice).
   */
  boolean retriesWhenUnreachable() {
    return true;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> servers = List.of(options.server.split(",", -1)).stream().map(String::trim).toList();
    for (String server : servers) {
      if (server.lastIndexOf(':') <= 0 || !dev.dialtone.config.constraint.Formats.isHostPort(server)) {
        return error(err, "USAGE", "--server must be HOST:PORT[,HOST:PORT...] with ports 1-65535 (was "
            + options.server + ")", USAGE);
      }
    }
    Instant deadline = Instant.now().plusSeconds(options.timeoutSeconds);
    // With several replicas, one that does not answer gets a share of the time, not all of it.
    long perAttempt = servers.size() == 1 ? options.timeoutSeconds * 1000L : Math.min(5_000, options.timeoutSeconds * 1000L);
    StatusRuntimeException last = null;
    for (int round = 0; ; round++) {
      for (String server : servers) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0 && last != null) {
          return failed(err, last);
        }
        int colon = server.lastIndexOf(':');
        AdminConnection connection;
        try {
          connection = AdminConnection.open(options, server.substring(0, colon),
              Integer.parseInt(server.substring(colon + 1)), System.getenv());
        } catch (AdminConnection.Problem e) {
          return e.config ? error(err, "CONFIG", e.getMessage(), CONFIG) : error(err, "USAGE", e.getMessage(), USAGE);
        }
        ManagedChannel channel = connection.channel;
        try {
          AdminServiceGrpc.AdminServiceBlockingStub stub = AdminServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(Math.max(1, Math.min(perAttempt, left)), TimeUnit.MILLISECONDS);
          AdminServiceGrpc.AdminServiceBlockingStub admin = connection.token.map(stub::withCallCredentials).orElse(stub);
          T answer = invoke(admin);
          show(out, answer);
          out.flush();
          Optional<String> problem = problem(answer, admin);
          return problem.isPresent() ? error(err, "REFUSED", problem.get(), REFUSED) : OK;
        } catch (StatusRuntimeException e) {
          last = e;
          if (servers.size() == 1 || !tryAnother(e)) {
            return failed(err, e);
          }
        } finally {
          channel.shutdownNow();
        }
      }
      // Every replica said "not the leader" or did not answer: an election is under way.
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        return failed(err, last);
      }
      try {
        // Jittered, so a pipeline's parallel CLIs do not poll the new leader in step.
        Duration wait = ELECTION_BACKOFF.delay(round + 1, ThreadLocalRandom.current());
        sleeper.sleep(wait.compareTo(Duration.ofMillis(left)) < 0 ? wait : Duration.ofMillis(left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return failed(err, last);
      }
    }
  }

  /** Whether another of the replicas given may answer what this one could not. */
  private boolean tryAnother(StatusRuntimeException e) {
    Status s = e.getStatus();
    return switch (s.getCode()) {
      // A follower acted on nothing: always safe to ask the next replica.
      case FAILED_PRECONDITION -> notLeader(s.getDescription());
      case UNAVAILABLE, DEADLINE_EXCEEDED -> retriesWhenUnreachable();
      default -> false;
    };
  }

  static boolean notLeader(String description) {
    return description != null && (description.contains(" is not the leader")
        || description.startsWith("leadership changed during the call"));
  }

  private int failed(PrintWriter err, StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String description = e.getStatus().getDescription()
        + dev.dialtone.security.tls.TransportSecurity.handshakeFailure(e).map(why -> " (TLS: " + why + ")").orElse("");
    int exit = switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> UNREACHABLE;
      case INVALID_ARGUMENT -> USAGE;
      default -> REFUSED;
    };
    return error(err, code.name(), options.output == AdminOptions.Output.json ? description : code + ": " + description, exit);
  }

  /** Prints the answer: a table, or JSON under {@code --output json}. */
  void show(PrintWriter out, T answer) {
    out.println(options.output == AdminOptions.Output.json ? json(answer) : table(answer));
  }

  /** Reports an error as a line, or as a JSON object under {@code --output json}, and returns {@code exit}. */
  int error(PrintWriter err, String code, String message, int exit) {
    ErrorReport.print(err, options.output == AdminOptions.Output.json, spec.qualifiedName(), code, message, exit);
    return exit;
  }

  static String json(Message m) {
    return print(JsonFormat.printer(), m);
  }

  /** One line of JSON, for a stream of answers. */
  static String compactJson(Message m) {
    return print(JsonFormat.printer().omittingInsignificantWhitespace(), m);
  }

  private static String print(JsonFormat.Printer printer, Message m) {
    try {
      return printer.print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getName() + " as JSON", e);
    }
  }
}
