package dev.eventsource.autoconfigure;

/**
 * Explains an {@link UpcastersNotSupportedException}: upcaster beans, and a serializer that cannot take them.
 */
class UpcastersNotSupportedFailureAnalyzer extends MessageFailureAnalyzer<UpcastersNotSupportedException> {

    @Override
    String action(UpcastersNotSupportedException cause) {
        return "Define the Serializer bean as a JacksonSerializer (JacksonSerializer.json(mapper) or "
                + "JacksonSerializer.binary(mapper)), or remove it to use the auto-configured one; the Upcaster beans "
                + "are then registered with it. If " + cause.serializerType().getSimpleName() + " delegates to a "
                + "JacksonSerializer, register the upcasters with that one (addUpcasters(...), then "
                + "verifyUpcasters() once its event classes are bound) instead of declaring them as beans.";
    }
}
