package dev.dialtone.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dialtone completion bash|zsh}: prints a shell completion script (picocli's generator). */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Prints a completion script for bash or zsh.",
        "bash: source <(dialtone completion bash)   zsh: source <(dialtone completion zsh)"})
public final class CompletionCommand implements Callable<Integer> {
  /** The shells the script is written for. */
  public enum Shell { bash, zsh }

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash(root.getCommandName(), root);
    // picocli's script is bash; zsh runs it through bashcompinit.
    String prelude = shell == Shell.zsh
        ? "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" : "";
    spec.commandLine().getOut().print(prelude + script);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
