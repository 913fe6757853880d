package dev.eventsource;

/**
 * Turns an aggregate's state into bytes and back, for {@link Snapshot snapshots}; the Jackson serializer is one.
 * The state is the aggregate's fields, whatever their visibility.
 */
public interface StateSerializer {

    /**
     * Serializes an aggregate's state.
     *
     * @param aggregate the aggregate
     * @return its fields, in the serializer's format
     * @throws SerializationException when the state cannot be written
     */
    byte[] marshalState(Object aggregate);

    /**
     * Reads state into an empty aggregate.
     *
     * @param aggregate a new, empty aggregate of the class the state was taken from
     * @param data the state
     * @throws SerializationException when the bytes do not fit the class
     */
    void unmarshalState(Object aggregate, byte[] data);

    /**
     * Returns the fingerprint of a class's state shape: a hash of the names and types of its fields, and of the
     * fields of the classes they hold, as this serializer reads them. Any added, removed, renamed or retyped field
     * changes it, so a snapshot taken before such a change is ignored rather than read wrongly.
     *
     * @param aggregateType the aggregate class
     * @return a short, stable text
     */
    String fingerprint(Class<?> aggregateType);
}
