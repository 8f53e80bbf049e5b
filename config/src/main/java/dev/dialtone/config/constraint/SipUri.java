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

/** A SIP URI: scheme {@code sip} or {@code sips}, a host, an optional port in 1..65535. */
@Documented
@Constraint(validatedBy = Formats.SipUriValidator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface SipUri {
  String message() default "must be a sip: or sips: URI with a host (e.g. sip:edge.example.com:5060)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
