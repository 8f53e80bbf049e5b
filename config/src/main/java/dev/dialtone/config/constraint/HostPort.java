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

/** A {@code host:port} pair with an explicit port in 1..65535. */
@Documented
@Constraint(validatedBy = Formats.HostPortValidator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface HostPort {
  String message() default "must be host:port with a port 1-65535 (e.g. zk1.example.com:2181)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
