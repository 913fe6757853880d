package dev.eventsource.kafka;

import dev.eventsource.EventSourceException;

/** A topic name, or a name pattern, that Kafka would refuse. */
public class InvalidTopicNameException extends EventSourceException {

    private static final long serialVersionUID = 1L;

    private final String topic;

    /**
     * Creates the exception.
     *
     * @param topic the name or pattern
     * @param problem which rule it breaks
     */
    public InvalidTopicNameException(String topic, String problem) {
        super("Invalid Kafka topic '" + topic + "': " + problem + ". Set eventsource.kafka.topic to a name of 1 to"
                + " 249 letters, digits, '.', '_' or '-', or a pattern with " + KafkaTopic.AGGREGATE_TYPE_PLACEHOLDER
                + " (aggregate type names must then fit these rules too)");
        this.topic = topic;
    }

    /** @return the refused name or pattern */
    public String topic() {
        return topic;
    }
}
