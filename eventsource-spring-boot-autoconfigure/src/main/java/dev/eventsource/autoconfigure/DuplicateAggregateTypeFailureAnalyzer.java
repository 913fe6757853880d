package dev.eventsource.autoconfigure;

import dev.eventsource.DuplicateAggregateTypeException;

/**
 * Explains a {@link DuplicateAggregateTypeException}: two aggregate classes claim one stream type name.
 */
class DuplicateAggregateTypeFailureAnalyzer extends MessageFailureAnalyzer<DuplicateAggregateTypeException> {

    @Override
    String action(DuplicateAggregateTypeException cause) {
        return "Give one of them another stream type name with @AggregateType, for example @AggregateType(\""
                + cause.classes().get(1).getName().replace('.', '_') + "\") on " + cause.classes().get(1).getName()
                + ". Keep the name of the class whose events are already stored.";
    }
}
