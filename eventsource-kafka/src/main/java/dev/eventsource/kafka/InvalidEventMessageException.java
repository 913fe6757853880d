package dev.eventsource.kafka;

import dev.eventsource.EventSourceException;

/** A Kafka message that is not an event published by eventsource: a header missing or unreadable, or no value. */
public class InvalidEventMessageException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int partition;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param topic the message's topic
     * @param partition its partition
     * @param offset its offset
     * @param message what is wrong
     */
    public InvalidEventMessageException(String topic, int partition, long offset, String message) {
        super(message);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    /** @return the message's topic */
    public String topic() {
        return topic;
    }

    /** @return the message's partition */
    public int partition() {
        return partition;
    }

    /** @return the message's offset */
    public long offset() {
        return offset;
    }
}
