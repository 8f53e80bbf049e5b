package dev.dialtone.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.cli.Dialtone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCommandTest {

  @Test
  void refusesToStartWithABadConfigNamingTheFileAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, "deployment: acme-voice\nregion: us-east\nprobez: []\n");
    var err = new StringWriter();
    int code = Dialtone.commandLine().setErr(new PrintWriter(err, true)).execute("agent", "--config", file.toString());
    assertThat(code).isEqualTo(AgentCommand.EXIT_CONFIG);
    assertThat(err.toString()).contains("dialtone agent: refusing to start: " + file + ":3: probez: unknown key 'probez' (did you mean 'probes'?)");
  }

  @Test
  void neverPrintsASecretPastedIntoTheConfig(@TempDir Path dir) throws Exception {
    for (String apiKey : new String[] {"sk-live-0123456789", "\"sk-live-0123456789"}) {
      Path file = Files.writeString(dir.resolve("agent.yaml"), """
          deployment: acme-voice
          region: us-east
          controlPlane: { replicas: ["127.0.0.1:7001"], plaintext: true }
          probes:
            - name: openai
              llm:
                baseUrl: https://api.openai.com
                apiKey: %s
          """.formatted(apiKey));
      var err = new StringWriter();
      int code = Dialtone.commandLine().setErr(new PrintWriter(err, true)).execute("agent", "--config", file.toString());
      assertThat(code).isEqualTo(AgentCommand.EXIT_CONFIG);
      assertThat(err.toString()).contains("dialtone agent: refusing to start: " + file + ":8: probes[0].llm").doesNotContain("0123456789");
    }
  }

  @Test
  void requiresAConfig() {
    var err = new StringWriter();
    int code = Dialtone.commandLine().setErr(new PrintWriter(err, true)).execute("agent");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
  }
}
