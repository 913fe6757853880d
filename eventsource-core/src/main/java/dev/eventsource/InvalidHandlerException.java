package dev.eventsource;

import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;
import java.util.Objects;

/**
 * Thrown when an aggregate or projection class is malformed: an {@code @EventHandler} or {@code @CommandHandler}
 * method with a wrong signature, two handlers for one type, or no usable constructor. Raised when the class's model is
 * first built, naming the class and the method; {@link #type()}, {@link #method()}, {@link #kind()} and
 * {@link #problem()} say the same for code that reacts to it.
 */
public class InvalidHandlerException extends EventSourceException {

    /** What the malformed class was read as. */
    public enum Kind {
        /** An aggregate: {@code @EventHandler} and {@code @CommandHandler} methods, a no-argument constructor. */
        AGGREGATE,
        /** A {@code @Projection}: {@code @EventHandler} methods fed from the event stream. */
        PROJECTION
    }

    /** What is wrong with the class. */
    public enum Problem {
        /**
         * A handler method has a signature the library cannot call: static, wrong parameters or return type,
         * annotated both {@code @EventHandler} and {@code @CommandHandler}, or not accessible.
         */
        SIGNATURE,
        /** Two handler methods accept the same event or command type. */
        DUPLICATE_HANDLER,
        /** A {@code @CommandHandler} returned something that is not an event. */
        RESULT,
        /** The aggregate class is abstract: the repository cannot create empty aggregates of it. */
        ABSTRACT,
        /** The aggregate class has no no-argument constructor, or it cannot be called. */
        NO_CONSTRUCTOR,
        /** The class declares {@code @EventHandler} methods but is no aggregate (nor a projection). */
        NOT_AN_AGGREGATE,
        /** The object given as projection is not annotated {@code @Projection}. */
        NOT_A_PROJECTION,
        /** The projection has no {@code @EventHandler} method. */
        NO_HANDLERS,
        /** Two projections have one name, which keys their checkpoint. */
        DUPLICATE_NAME
    }

    private final Kind kind;
    private final Problem problem;
    private final Class<?> type;
    private final @Nullable Method method;

    /**
     * @param message what is wrong and what to do, naming the class and the method
     * @param kind what the class was read as
     * @param problem what is wrong
     * @param type the malformed class
     * @param method the handler method at fault, or {@code null} when the problem is the class itself
     */
    public InvalidHandlerException(String message, Kind kind, Problem problem, Class<?> type,
                                   @Nullable Method method) {
        this(message, kind, problem, type, method, null);
    }

    /**
     * @param message what is wrong and what to do, naming the class and the method
     * @param kind what the class was read as
     * @param problem what is wrong
     * @param type the malformed class
     * @param method the handler method at fault, or {@code null} when the problem is the class itself
     * @param cause the failure that revealed the problem, or {@code null}
     */
    public InvalidHandlerException(String message, Kind kind, Problem problem, Class<?> type,
                                   @Nullable Method method, @Nullable Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.type = Objects.requireNonNull(type, "type");
        this.method = method;
    }

    /** @return what the malformed class was read as: an aggregate or a projection */
    public Kind kind() {
        return kind;
    }

    /** @return what is wrong with the class */
    public Problem problem() {
        return problem;
    }

    /** @return the malformed aggregate or projection class */
    public Class<?> type() {
        return type;
    }

    /** @return the handler method at fault, or {@code null} when the problem is the class itself */
    public @Nullable Method method() {
        return method;
    }
}
