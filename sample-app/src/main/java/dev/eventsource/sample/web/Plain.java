package dev.eventsource.sample.web;

import dev.eventsource.sample.PlainText;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A request field that must be {@link PlainText}: printable, no control or bidi characters, something visible. */
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = Plain.Validator.class)
@interface Plain {

    String message() default "must be plain text";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Reports the first rule a text breaks, in the words of {@link PlainText#problem(String)}. */
    class Validator implements ConstraintValidator<Plain, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String problem = PlainText.problem(value);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
