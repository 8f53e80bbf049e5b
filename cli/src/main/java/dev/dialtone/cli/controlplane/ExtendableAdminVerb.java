package dev.dialtone.cli.controlplane;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import java.io.PrintWriter;
import java.util.List;

/**
 * An {@link AdminVerb} that verbs in other packages (e.g. {@code dialtone drill}) extend: the same
 * connection, output and exit codes, with the table helpers they need.
 */
public abstract class ExtendableAdminVerb<T extends Message> extends AdminVerb<T> {
  /** Exit code: done. */
  protected static final int EXIT_OK = OK;
  /** Exit code: refused by a rule (or, for a drill, a run that did not pass). */
  protected static final int EXIT_REFUSED = REFUSED;

  /** Makes the call(s); {@code admin} carries the {@code --timeout} deadline. */
  protected abstract T call(AdminServiceGrpc.AdminServiceBlockingStub admin);

  /** The answer for humans. */
  protected abstract String render(T answer);

  @Override
  final boolean retriesWhenUnreachable() {
    return idempotent();
  }

  /**
   * Whether the verb's call may be made again on another replica when one did not answer: false by
   * default (several calls: one that was made must not be made twice), true for a single call that
   * answers the same when repeated.
   */
  protected boolean idempotent() {
    return false;
  }

  @Override
  final T invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return call(admin);
  }

  @Override
  final String table(T answer) {
    return render(answer);
  }

  /** {@code --timeout}, for verbs that make several calls each with its own deadline. */
  protected final int timeoutSeconds() {
    return options.timeoutSeconds;
  }

  /** Where progress lines go while a verb waits. */
  protected final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected static String table(List<String> header, List<List<String>> rows) {
    return Tables.render(header, rows);
  }

  protected static String time(Timestamp t) {
    return Tables.time(t);
  }
}
