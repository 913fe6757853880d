package dev.eventsource.sample;

/** Thrown when a command or a read names an aggregate that has no history; answered with 404. */
public class UnknownAggregateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param kind what was looked for, for example "person"
     * @param id the id that has no history
     */
    public UnknownAggregateException(String kind, String id) {
        super("No " + kind + " with id '" + id + "'");
    }
}
