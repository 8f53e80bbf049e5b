package dev.dialtone.config;

/**
 * One thing wrong with a file: where ({@code file:line}), which field ({@code regions[0].edge.a[1]},
 * empty for the whole file) and what is wrong or allowed.
 */
public record Problem(String file, int line, String field, String message) implements Comparable<Problem> {
  @Override
  public String toString() {
    return file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }

  @Override
  public int compareTo(Problem o) {
    int c = Integer.compare(line, o.line);
    return c != 0 ? c : field.compareTo(o.field);
  }
}
