package dev.dialtone.config.constraint;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** An id used in znode paths, DNS labels and certificates: {@code [a-z0-9][a-z0-9-]*}, at most 63 characters. */
@Documented
@Constraint(validatedBy = Formats.IdentifierValidator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface Identifier {
  String message() default "must be lower-case letters, digits and dashes, starting with a letter or digit";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
