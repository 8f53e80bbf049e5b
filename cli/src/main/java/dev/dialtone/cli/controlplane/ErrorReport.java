package dev.dialtone.cli.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * How the CLI reports an error on standard error: one line for humans, or, under {@code --output
 * json}, one JSON object a script can parse ({@code {"error":{"command","code","message","exitCode"}}})
 * while standard output carries only answers.
 */
public final class ErrorReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorReport() {}

  /** Prints one error; {@code code} is a gRPC status name or USAGE, CONFIG, REFUSED. */
  public static void print(PrintWriter err, boolean json, String command, String code, String message, int exit) {
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      root.putObject("error").put("command", command).put("code", code).put("message", message).put("exitCode", exit);
      err.println(root.toString());
    } else {
      err.println(command + ": " + message);
    }
    err.flush();
  }

  /** Whether a raw command line asks for JSON output (read before parsing, for errors of parsing itself). */
  public static boolean wantsJson(String[] args) {
    List<String> list = List.of(args);
    for (int i = 0; i < list.size(); i++) {
      String a = list.get(i);
      if (a.equalsIgnoreCase("--output=json") || a.equals("--output") && i + 1 < list.size() && list.get(i + 1).equalsIgnoreCase("json")) {
        return true;
      }
    }
    return false;
  }

  /** Usage errors as JSON when the command line asks for it; picocli's usual message and usage otherwise. */
  public static final class UsageHandler implements CommandLine.IParameterExceptionHandler {
    private final CommandLine.IParameterExceptionHandler standard;

    public UsageHandler(CommandLine.IParameterExceptionHandler standard) {
      this.standard = standard;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) throws Exception {
      if (!wantsJson(args)) {
        return standard.handleParseException(ex, args);
      }
      CommandLine cli = ex.getCommandLine();
      int exit = cli.getCommandSpec().exitCodeOnInvalidInput();
      print(cli.getErr(), true, cli.getCommandSpec().qualifiedName(), "USAGE", ex.getMessage(), exit);
      return exit;
    }
  }
}
