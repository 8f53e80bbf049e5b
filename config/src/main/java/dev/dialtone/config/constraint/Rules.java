package dev.dialtone.config.constraint;

import jakarta.validation.ConstraintValidatorContext;

/** Where a {@link Checked} section reports broken rules. */
public final class Rules {
  private final ConstraintValidatorContext context;
  private boolean ok = true;

  Rules(ConstraintValidatorContext context) {
    this.context = context;
  }

  /**
   * Reports a problem with {@code field} (relative to the section: {@code port},
   * {@code edge.a[0]}; empty for the section itself) unless {@code holds}.
   *
   * @return {@code holds}, so rules can be chained
   */
  public boolean require(boolean holds, String field, String message) {
    if (!holds) {
      fail(field, message);
    }
    return holds;
  }

  /** Reports a problem with {@code field}. */
  public void fail(String field, String message) {
    ok = false;
    context.disableDefaultConstraintViolation();
    var builder = context.buildConstraintViolationWithTemplate(Formats.escape(message));
    if (field.isEmpty()) {
      builder.addConstraintViolation();
    } else {
      builder.addPropertyNode(field).addConstraintViolation();
    }
  }

  boolean ok() {
    return ok;
  }
}
