package dev.dialtone.config.constraint;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** The class-level constraint that runs a {@link Checked} section's own rules. */
@Documented
@Inherited
@Constraint(validatedBy = CrossField.Validator.class)
@Target(TYPE)
@Retention(RUNTIME)
public @interface CrossField {
  String message() default "is inconsistent";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Runs {@link Checked#check(Rules)}. */
  final class Validator implements ConstraintValidator<CrossField, Checked> {
    @Override
    public boolean isValid(Checked value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      Rules rules = new Rules(context);
      value.check(rules);
      return rules.ok();
    }
  }
}
