package dev.eventsource.kafka;

import dev.eventsource.Record;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where the relay sends each event: one topic, or a name pattern with {@value #AGGREGATE_TYPE_PLACEHOLDER} replaced
 * by the event's aggregate type (for example {@code orders.{aggregateType}.events}). Names follow Kafka's rules: 1
 * to 249 characters among letters, digits, {@code . _ -}, and neither {@code .} nor {@code ..}.
 */
public final class KafkaTopic {

    /** The placeholder of a pattern, replaced by the aggregate type. */
    public static final String AGGREGATE_TYPE_PLACEHOLDER = "{aggregateType}";

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final String value;
    private final boolean pattern;
    private final Map<String, String> byAggregateType = new ConcurrentHashMap<>();

    private KafkaTopic(String value, boolean pattern) {
        this.value = value;
        this.pattern = pattern;
    }

    /**
     * Parses a topic name or pattern, checking that it can only produce names Kafka accepts.
     *
     * @param value a topic name, or a pattern containing {@value #AGGREGATE_TYPE_PLACEHOLDER}
     * @return the topic
     * @throws InvalidTopicNameException saying which rule the name breaks
     */
    public static KafkaTopic of(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidTopicNameException(String.valueOf(value), "it is empty");
        }
        boolean pattern = value.contains(AGGREGATE_TYPE_PLACEHOLDER);
        String sample = pattern ? value.replace(AGGREGATE_TYPE_PLACEHOLDER, "x") : value;
        check(value, sample);
        return new KafkaTopic(value, pattern);
    }

    /** @return the topic name or pattern as given */
    public String value() {
        return value;
    }

    /** @return whether the name depends on the aggregate type */
    public boolean isPattern() {
        return pattern;
    }

    /**
     * Returns the topic of a record.
     *
     * @param record a stored record
     * @return its topic
     * @throws InvalidTopicNameException when the pattern with the record's aggregate type makes a name Kafka refuses
     */
    public String topic(Record record) {
        if (!pattern) {
            return value;
        }
        String aggregateType = record.aggregateType() == null ? "" : record.aggregateType();
        String topic = byAggregateType.get(aggregateType);
        if (topic == null) {
            topic = value.replace(AGGREGATE_TYPE_PLACEHOLDER, aggregateType);
            check(value + " (aggregate type '" + aggregateType + "')", topic);
            byAggregateType.put(aggregateType, topic);
        }
        return topic;
    }

    private static void check(String given, String name) {
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidTopicNameException(given, "'.' and '..' are reserved");
        }
        if (name.length() > 249) {
            throw new InvalidTopicNameException(given, "it is longer than 249 characters");
        }
        if (!LEGAL.matcher(name).matches()) {
            throw new InvalidTopicNameException(given, "it may only contain letters, digits, '.', '_' and '-'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
