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

/** An IPv4 address in dotted-quad form; no host names. */
@Documented
@Constraint(validatedBy = Formats.Ipv4Validator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface Ipv4 {
  String message() default "must be an IPv4 address (four numbers 0-255, e.g. 203.0.113.10)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
