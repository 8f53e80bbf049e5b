package dev.dialtone.controlplane.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminAnswerTest {
  /** Collects what a call answered. */
  static final class Answers implements StreamObserver<String> {
    final List<String> values = new ArrayList<>();
    Throwable error;
    boolean completed;

    @Override public void onNext(String v) { values.add(v); }
    @Override public void onError(Throwable t) { error = t; }
    @Override public void onCompleted() { completed = true; }
  }

  @Test
  void anUnexpectedFailureAnswersWithACorrelationIdAndNotItsDetail() {
    Answers out = new Answers();
    AdminGrpcService.answer(out, () -> {
      throw new IllegalStateException("cannot open /etc/dialtone/kamailio-rpc.token on cp-2.internal");
    });
    Status status = Status.fromThrowable(out.error);
    assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(status.getDescription()).matches("internal error \\(id [0-9a-f]{8}\\): the replica's log has the details")
        .doesNotContain("/etc/dialtone").doesNotContain("IllegalStateException");
  }

  @Test
  void aBadArgumentSaysWhichAndAResultCompletes() {
    Answers bad = new Answers();
    AdminGrpcService.answer(bad, () -> {
      throw new IllegalArgumentException("limit must be 1..1000, was 0");
    });
    assertThat(Status.fromThrowable(bad.error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Status.fromThrowable(bad.error).getDescription()).isEqualTo("limit must be 1..1000, was 0");

    Answers ok = new Answers();
    AdminGrpcService.answer(ok, () -> "fine");
    assertThat(ok.values).containsExactly("fine");
    assertThat(ok.completed).isTrue();
  }
}
