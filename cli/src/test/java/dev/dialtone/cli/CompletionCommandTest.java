package dev.dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.cli.controlplane.ControlPlaneVerbsTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script loads in a real bash and completes verbs and options. */
class CompletionCommandTest {
  /** Sources the script in bash, then asks its completion function about {@code words}; returns COMPREPLY. */
  static String complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    String program = "source " + script + " && complete -p dialtone >/dev/null && "
        + "COMP_WORDS=(" + line + ") && COMP_CWORD=" + (words.length - 1) + " && COMP_LINE='" + line + "' && "
        + "COMP_POINT=${#COMP_LINE} && $(complete -p dialtone | sed -E 's/.* -F ([^ ]+) .*/\\1/') && "
        + "printf '%s\\n' \"${COMPREPLY[@]}\"";
    Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void theBashScriptLoadsAndCompletesVerbsAndOptions(@TempDir Path dir) throws Exception {
    ControlPlaneVerbsTest.Run r = ControlPlaneVerbsTest.run("completion", "bash");
    assertThat(r.exit()).as(r.err()).isZero();
    Path script = Files.writeString(dir.resolve("dialtone.bash"), r.out());

    assertThat(complete(script, "dialtone", "sw")).isEqualTo("switchover\n");
    assertThat(complete(script, "dialtone", "regions", "dr")).isEqualTo("drain\n");
    assertThat(complete(script, "dialtone", "switchover", "--t")).contains("--to").contains("--timeout");
  }

  @Test
  void theZshScriptRunsThroughBashcompinitAndAnUnknownShellIsAUsageError() {
    ControlPlaneVerbsTest.Run zsh = ControlPlaneVerbsTest.run("completion", "zsh");
    assertThat(zsh.exit()).isZero();
    assertThat(zsh.out()).startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n")
        .contains("complete -F");
    ControlPlaneVerbsTest.Run fish = ControlPlaneVerbsTest.run("completion", "fish");
    assertThat(fish.exit()).isEqualTo(2);
    assertThat(fish.err()).contains("SHELL").contains("bash, zsh");
  }
}
