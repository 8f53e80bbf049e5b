package dev.dialtone.dns.provider.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsigKeyTest {
  @TempDir Path dir;

  @Test
  void readsTsigKeygenOutputAndNeverPrintsTheSecret() throws Exception {
    Path file = dir.resolve("k");
    Files.writeString(file, "# made by tsig-keygen\nkey \"dialtone-key\" {\n\talgorithm hmac-sha512;\n\tsecret \"c2VjcmV0LXNlY3JldC1zZWNyZXQ=\";\n};\n");
    TsigKey key = TsigKey.read(file);
    assertThat(key.name()).isEqualTo("dialtone-key");
    assertThat(key.algorithm()).isEqualTo("hmac-sha512");
    assertThat(key.toString()).doesNotContain("c2VjcmV0").contains("secret=***");
    assertThat(key.signer()).isNotNull();
  }

  @Test
  void aSecretHoldingTwoSlashesIsNotTakenForAComment() throws Exception {
    // base64 has '/': about one tsig-keygen secret in a hundred holds "//" (a lab start saw one).
    Path file = dir.resolve("slashes.key");
    Files.writeString(file, "/* made by hand */ key \"k\" {\n  algorithm hmac-sha256; // the default\n"
        + "  secret \"AQID///8CQkJ//ABAg==\"; # base64\n};\n");
    TsigKey key = TsigKey.read(file);
    assertThat(key.name()).isEqualTo("k");
    assertThat(key.algorithm()).isEqualTo("hmac-sha256");
    assertThat(key.signer()).isNotNull();
  }

  @Test
  void rejectsAFileWithoutAKeyClauseNamingTheFile() throws Exception {
    Path file = dir.resolve("empty.key");
    Files.writeString(file, "options { };\n");
    assertThatThrownBy(() -> TsigKey.read(file)).hasMessageContaining(file.toString()).hasMessageContaining("no key clause");
  }

  @Test
  void rejectsAnUnknownAlgorithm() {
    assertThatThrownBy(() -> new TsigKey("k", "hmac-whirlpool", "c2VjcmV0"))
        .hasMessageContaining("unsupported TSIG algorithm 'hmac-whirlpool'");
  }
}
