package dev.dialtone.chaos.drill;

import java.util.List;
import java.util.stream.Collectors;

/** A drill file was refused; the message lists every problem with its file, line and field. */
public final class DrillValidationException extends Exception {
  private final List<DrillProblem> problems;

  public DrillValidationException(List<DrillProblem> problems) {
    super(problems.stream().map(DrillProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<DrillProblem> problems() {
    return problems;
  }
}
