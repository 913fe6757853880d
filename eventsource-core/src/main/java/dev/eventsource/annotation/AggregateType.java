package dev.eventsource.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives an aggregate class a stable stream type name other than its simple class name. Every stored event
 * carries the type of the aggregate whose stream it belongs to, so renaming or moving the class must keep this
 * name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AggregateType {

    /** @return the stored aggregate type name; not blank, unique among the application's aggregates */
    String value();
}
