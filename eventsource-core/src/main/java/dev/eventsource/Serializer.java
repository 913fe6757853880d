package dev.eventsource;

/**
 * Turns events into records and back. Only classes bound with {@link #bind(Class[])} are ever instantiated:
 * the stored type name picks among them, never a class name taken from the stored data.
 */
public interface Serializer {

    /**
     * Registers event classes under their type names ({@link Event#typeName(Class)}). Binding a class twice is
     * harmless.
     *
     * @param eventTypes the classes to register
     * @return this serializer
     * @throws DuplicateEventTypeException when a name is already bound to another class
     * @throws IllegalArgumentException when a class is null or not a concrete event class
     */
    Serializer bind(Class<?>... eventTypes);

    /**
     * Serializes an event; the record has no metadata and position 0.
     *
     * @param event the event
     * @return its record
     * @throws UnknownEventTypeException when the event's class is not bound
     * @throws SerializationException when the event cannot be written
     */
    Record marshal(Event event);

    /**
     * Deserializes a record into an instance of the class bound under its type name.
     *
     * @param record the stored record
     * @return the event
     * @throws UnknownEventTypeException when no class is bound under the record's type
     * @throws SerializationException when the bytes do not parse or do not fit the class
     */
    Event unmarshal(Record record);

    /** @return the form of the bytes this serializer writes */
    PayloadFormat format();
}
