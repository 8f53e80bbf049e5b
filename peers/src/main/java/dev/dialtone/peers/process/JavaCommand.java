package dev.dialtone.peers.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start another JVM on this JVM's own Java and class path: the lab runs from the shipped
 * jar, so its children run the same code the operator's {@code dialtone} command runs.
 */
public final class JavaCommand {
  private JavaCommand() {}

  /** The {@code java} binary of the running JVM. */
  public static String java() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** {@code java <options> -cp <this class path> <mainClass> <args>}. */
  public static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
