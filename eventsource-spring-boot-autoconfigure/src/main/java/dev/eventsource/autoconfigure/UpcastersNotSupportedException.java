package dev.eventsource.autoconfigure;

import dev.eventsource.EventSourceException;

import java.util.List;

/**
 * Thrown at start-up when the application context has {@link dev.eventsource.upcast.Upcaster} beans but the
 * {@link dev.eventsource.Serializer} the repositories use is not a
 * {@link dev.eventsource.serializer.jackson.JacksonSerializer}, the serializer that upcasts: the upcasters could not
 * be registered, and events stored in older revisions would fail when read.
 */
public class UpcastersNotSupportedException extends EventSourceException {

    private final Class<?> serializerType;

    private final List<String> upcasterBeanNames;

    /**
     * Creates the exception.
     *
     * @param serializerType the class of the serializer the repositories use
     * @param upcasterBeanNames the names of the upcaster beans
     */
    public UpcastersNotSupportedException(Class<?> serializerType, List<String> upcasterBeanNames) {
        super("The application context has " + upcasterBeanNames.size() + " Upcaster bean"
                + (upcasterBeanNames.size() == 1 ? "" : "s") + " (" + String.join(", ", upcasterBeanNames)
                + ") but its Serializer is a " + serializerType.getName() + ", not a "
                + "dev.eventsource.serializer.jackson.JacksonSerializer, so they cannot be registered with it and "
                + "events stored in older revisions would fail when read");
        this.serializerType = serializerType;
        this.upcasterBeanNames = List.copyOf(upcasterBeanNames);
    }

    /** @return the class of the serializer the repositories use */
    public Class<?> serializerType() {
        return this.serializerType;
    }

    /** @return the names of the upcaster beans */
    public List<String> upcasterBeanNames() {
        return this.upcasterBeanNames;
    }
}
