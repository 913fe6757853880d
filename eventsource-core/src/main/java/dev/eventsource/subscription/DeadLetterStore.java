package dev.eventsource.subscription;

import dev.eventsource.Record;

import java.util.List;
import java.util.Optional;

/**
 * Keeps the {@link DeadLetter dead letters} of subscriptions: the events each passed over. Implementations:
 * {@link MemoryDeadLetterStore} (one process) and {@link dev.eventsource.subscription.jdbc.JdbcDeadLetterStore} (a
 * table beside the events table). When it shares the subscription's transaction, a dead letter commits with the
 * checkpoint that moves past its event.
 */
public interface DeadLetterStore {

    /**
     * Records an event a subscription passes over.
     *
     * @param subscription the subscription's name
     * @param event the event
     * @param error the handler's failure, see {@link DeadLetter#describe(Throwable)}
     * @return the new dead letter's id
     */
    long add(String subscription, Record event, String error);

    /**
     * Lists a subscription's dead letters.
     *
     * @param subscription the subscription's name
     * @return its dead letters, by position
     */
    List<DeadLetter> list(String subscription);

    /**
     * Finds one dead letter of a subscription.
     *
     * @return the dead letter; empty when the subscription has none with this id
     */
    Optional<DeadLetter> find(String subscription, long id);

    /** @return how many dead letters the subscription has */
    long count(String subscription);

    /**
     * Deletes one dead letter.
     *
     * @return whether it existed
     */
    boolean delete(String subscription, long id);

    /**
     * Deletes the dead letters of events after a position (their events are handled again after a reset).
     *
     * @return how many were deleted
     */
    int deleteAfter(String subscription, long position);
}
