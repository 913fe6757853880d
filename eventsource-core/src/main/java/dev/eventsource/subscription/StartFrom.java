package dev.eventsource.subscription;

/** Where a subscription without a checkpoint starts; once it has one, it always continues from it. */
public enum StartFrom {

    /** From the first event ever stored. */
    BEGINNING,

    /** After the last event stored when the subscription first runs: only new events. */
    END
}
