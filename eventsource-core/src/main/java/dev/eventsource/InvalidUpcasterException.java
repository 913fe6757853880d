package dev.eventsource;

import java.util.Objects;

/**
 * Thrown when the upcasters registered with a serializer do not form usable chains from stored revisions up to
 * the bound event classes: two upcasters for one step, a chain that stops below a class's revision, an upcaster
 * from a revision the class already has, a cycle, or a name that means two things. Raised when the upcasters are
 * checked (at start-up under Spring) rather than when the first old event is read; {@link #problem()},
 * {@link #eventType()} and {@link #revision()} say what and where.
 */
public class InvalidUpcasterException extends EventSourceException {

    /** What is wrong with the chains. */
    public enum Problem {
        /** Two upcasters read the same type and revision. */
        DUPLICATE_STEP,
        /**
         * A chain stops short: an event class declares a revision above 1 and nothing upcasts to it, or an
         * upcaster's result is a revision nothing reads and no class has, or a type nothing is bound under.
         */
        GAP,
        /** An upcaster reads a revision of a type that its bound class already has, or has not reached. */
        AHEAD_OF_CLASS,
        /** Following upcasters from some type and revision comes back to it. */
        CYCLE,
        /** An upcaster reads a type name that is an alias of a bound class, so two rules would apply to it. */
        ALIAS_COLLISION
    }

    private final Problem problem;
    private final String eventType;
    private final int revision;

    /**
     * @param message what is wrong and what to do
     * @param problem what is wrong
     * @param eventType the type name where the problem is
     * @param revision the revision where the problem is
     */
    public InvalidUpcasterException(String message, Problem problem, String eventType, int revision) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
        this.eventType = Objects.requireNonNull(eventType, "eventType");
        this.revision = revision;
    }

    /** @return what is wrong with the chains */
    public Problem problem() {
        return problem;
    }

    /** @return the type name where the problem is */
    public String eventType() {
        return eventType;
    }

    /** @return the revision where the problem is */
    public int revision() {
        return revision;
    }
}
