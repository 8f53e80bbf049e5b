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

/** An IPv6 address literal; no host names. */
@Documented
@Constraint(validatedBy = Formats.Ipv6Validator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface Ipv6 {
  String message() default "must be an IPv6 address (e.g. 2001:db8::10)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
