package dev.eventsource;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * Deserializes records in their order, as {@link #unmarshal} does one by one; a serializer may read them
     * faster together (the Jackson serializer reads a history's payloads with one parser). The first record that
     * cannot be read fails the call as {@link #unmarshal} would fail on it.
     *
     * @param records the stored records, for example an aggregate's history
     * @return their events, in the same order
     * @throws UnknownEventTypeException when no class is bound under a record's type
     * @throws SerializationException when a record's bytes do not parse or do not fit its class
     */
    default List<Event> unmarshalAll(List<Record> records) {
        List<Event> events = new ArrayList<>(records.size());
        for (Record record : records) {
            events.add(unmarshal(record));
        }
        return events;
    }

    /**
     * Returns the type name a stored record is read as: its own, unless the serializer reads it as another type
     * (an alias of a class, or upcasters that rename the type). Readers that pick records by type before
     * deserializing them (a projection that handles some types) ask this, so that a record stored under an old name
     * is not passed over.
     *
     * @param record the stored record
     * @return the type name of the class {@link #unmarshal} will read it into, or the record's own type when the
     *     serializer does not rename it (or cannot read it: then {@link #unmarshal} throws)
     */
    default String currentType(Record record) {
        return record.type();
    }

    /** @return the form of the bytes this serializer writes */
    PayloadFormat format();
}
