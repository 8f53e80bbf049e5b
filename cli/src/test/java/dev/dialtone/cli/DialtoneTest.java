package dev.dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class DialtoneTest {
  @Test
  void withoutSubcommandSaysOneIsRequiredAndExitsWithUsageError() {
    var err = new StringWriter();
    int code = Dialtone.commandLine().setErr(new PrintWriter(err)).execute();
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("a subcommand is required");
  }
}
