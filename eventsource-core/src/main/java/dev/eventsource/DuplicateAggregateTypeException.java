package dev.eventsource;

import java.util.List;

/**
 * Thrown when two aggregate classes of one application share a stream type name: their streams could not be told
 * apart. Rename one with {@link dev.eventsource.annotation.AggregateType @AggregateType}.
 */
public class DuplicateAggregateTypeException extends EventSourceException {

    private final String aggregateType;
    private final List<Class<?>> classes;

    /**
     * Reports two aggregate classes with one type name.
     *
     * @param aggregateType the contested name
     * @param first one class that claims it
     * @param second the other class
     */
    public DuplicateAggregateTypeException(String aggregateType, Class<?> first, Class<?> second) {
        super("Aggregate type name '" + aggregateType + "' is used by two classes, " + first.getName() + " and "
                + second.getName() + ", whose streams could not be told apart");
        this.aggregateType = aggregateType;
        this.classes = List.of(first, second);
    }

    /** @return the contested type name */
    public String aggregateType() {
        return aggregateType;
    }

    /** @return the two classes that claim the name */
    public List<Class<?>> classes() {
        return classes;
    }
}
