package dev.eventsource.sample;

import dev.eventsource.AggregateNotFoundException;

import java.util.function.Supplier;

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

    /**
     * Reads an aggregate, or its history, from its repository.
     *
     * @param kind what is read, for example "person"
     * @param id the aggregate's id
     * @param read the repository call, such as {@code () -> people.load(id)}
     * @param <T> what the call returns
     * @return what the call returned
     * @throws UnknownAggregateException when the repository has no events for this id
     */
    public static <T> T orUnknown(String kind, String id, Supplier<T> read) {
        try {
            return read.get();
        }
        catch (AggregateNotFoundException notFound) {
            throw new UnknownAggregateException(kind, id);
        }
    }
}
