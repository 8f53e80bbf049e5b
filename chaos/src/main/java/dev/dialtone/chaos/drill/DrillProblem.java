package dev.dialtone.chaos.drill;

/** One thing wrong with a drill file: where (file, line, field path) and what. */
public record DrillProblem(String file, int line, String field, String message) {
  @Override
  public String toString() {
    return file + " line " + line + ": " + message;
  }
}
