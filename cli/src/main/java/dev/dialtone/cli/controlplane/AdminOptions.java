package dev.dialtone.cli.controlplane;

import picocli.CommandLine.Option;

/** Where the admin API is and how to print answers; shared by every operator verb. */
public final class AdminOptions {
  /** How answers are printed. */
  public enum Output { table, json }

  @Option(names = "--server", defaultValue = "127.0.0.1:7443", paramLabel = "HOST:PORT",
      description = "A control-plane replica's gRPC address (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table (for humans) or json (for scripts); default: ${DEFAULT-VALUE}.")
  Output output;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;
}
