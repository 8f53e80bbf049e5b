package dev.dialtone.controlplane.server;

/** The configuration file is wrong; the message names the file and the field. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String file, String field, String problem) {
    super(file + (field.isEmpty() ? "" : ": " + field) + ": " + problem);
  }
}
