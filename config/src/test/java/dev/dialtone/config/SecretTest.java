package dev.dialtone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
  @Test
  void secretsComeFromFilesOrEnvironmentAndNeverPrint(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, "hunter2\n");
    Secret fromFile = Secret.resolve("file:" + file, Map.of());
    assertThat(fromFile.reveal()).isEqualTo("hunter2");
    assertThat(fromFile.toString()).doesNotContain("hunter2").contains("redacted");
    assertThat(Secret.resolve("env:LLM_KEY", Map.of("LLM_KEY", "abc")).reveal()).isEqualTo("abc");
    assertThatThrownBy(() -> Secret.resolve("hunter2", Map.of()))
        .hasMessageStartingWith("must be file:/path/to/file or env:VARIABLE").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> Secret.resolve("env:MISSING", Map.of())).hasMessage("environment variable MISSING is not set");
    assertThatThrownBy(() -> Secret.resolve("file:" + dir.resolve("nope"), Map.of()))
        .hasMessageStartingWith("cannot read secret file ");
  }
}
