package dev.dialtone.cli.controlplane;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int colon = options.server.lastIndexOf(':');
    if (colon <= 0 || !dev.dialtone.config.constraint.Formats.isHostPort(options.server)) {
      err.println(spec.qualifiedName() + ": --server must be HOST:PORT with a port 1-65535 (was " + options.server + ")");
      return USAGE;
    }
    AdminConnection connection;
    try {
      connection = AdminConnection.open(options, options.server.substring(0, colon),
          Integer.parseInt(options.server.substring(colon + 1)), System.getenv());
    } catch (AdminConnection.Problem e) {
      err.println(spec.qualifiedName() + ": " + e.getMessage());
      return e.config ? CONFIG : USAGE;
    } catch (NumberFormatException e) {
      err.println(spec.qualifiedName() + ": " + e.getMessage());
      return USAGE;
    }
    ManagedChannel channel = connection.channel;
    try {
      AdminServiceGrpc.AdminServiceBlockingStub stub = AdminServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(options.timeoutSeconds, TimeUnit.SECONDS);
      AdminServiceGrpc.AdminServiceBlockingStub admin = connection.token.map(stub::withCallCredentials).orElse(stub);
      T answer = invoke(admin);
      out.println(options.output == AdminOptions.Output.json ? json(answer) : table(answer));
      out.flush();
      Optional<String> problem = problem(answer, admin);
      problem.ifPresent(p -> {
        err.println(spec.qualifiedName() + ": " + p);
        err.flush();
      });
      return problem.isPresent() ? REFUSED : OK;
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      err.println(spec.qualifiedName() + ": " + code + ": " + e.getStatus().getDescription()
          + dev.dialtone.security.tls.TransportSecurity.handshakeFailure(e).map(why -> " (TLS: " + why + ")").orElse(""));
      err.flush();
      return switch (code) {
        case UNAVAILABLE, DEADLINE_EXCEEDED -> UNREACHABLE;
        case INVALID_ARGUMENT -> USAGE;
        default -> REFUSED;
      };
    } finally {
      channel.shutdownNow();
    }
  }

  static String json(Message m) {
    try {
      return JsonFormat.printer().print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getName() + " as JSON", e);
    }
  }
}
