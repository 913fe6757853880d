package dev.eventsource.subscription;

/**
 * Runs the handling of one batch of events and the checkpoint advance that follows it as one unit of work: in a
 * database transaction when the handler's writes and the {@link CheckpointStore} share one, so that a read model
 * and its checkpoint commit together (each event's effect then happens exactly once in the read model, and an
 * instance that lost its lease rolls back its writes with its refused checkpoint).
 */
@FunctionalInterface
public interface BatchTransaction {

    /** No transaction: each handler call and the checkpoint advance commit on their own. */
    BatchTransaction NONE = Runnable::run;

    /**
     * Runs the work, committing when it returns and rolling back when it throws.
     *
     * @param work the handler calls and the checkpoint advance
     * @throws RuntimeException whatever the work threw, after the rollback
     */
    void execute(Runnable work);
}
