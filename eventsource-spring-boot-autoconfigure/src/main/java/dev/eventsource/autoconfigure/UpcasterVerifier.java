package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.upcast.Upcaster;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.util.List;

/**
 * Checks the upcasters of the serializer the repositories use once every singleton exists, so that a broken chain
 * fails start-up (an {@link dev.eventsource.InvalidUpcasterException}) rather than the first read of an old event,
 * and before subscriptions start reading. Every event class must be bound first: repositories bind their
 * aggregate's events when they are created (so lazily initialized repositories are created here) and projections
 * theirs when they are initialized.
 *
 * <p>{@code Upcaster} beans with a serializer that is not a {@link JacksonSerializer} fail start-up with
 * {@link UpcastersNotSupportedException}: they could not be registered, and old events would fail at read time.
 */
final class UpcasterVerifier implements SmartInitializingSingleton {

    private final ListableBeanFactory beans;

    private final ObjectProvider<Serializer> serializer;

    private final ObjectProvider<EventSourceProjections> projections;

    UpcasterVerifier(ListableBeanFactory beans, ObjectProvider<Serializer> serializer,
            ObjectProvider<EventSourceProjections> projections) {
        this.beans = beans;
        this.serializer = serializer;
        this.projections = projections;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Serializer used = this.serializer.getIfUnique();
        if (used == null) {
            return;
        }
        if (!(used instanceof JacksonSerializer jackson)) {
            List<String> upcasters = List.of(this.beans.getBeanNamesForType(Upcaster.class));
            if (!upcasters.isEmpty()) {
                throw new UpcastersNotSupportedException(used.getClass(), upcasters);
            }
            return;
        }
        this.beans.getBeansOfType(Repository.class, false, true);
        EventSourceProjections eventSourceProjections = this.projections.getIfUnique();
        if (eventSourceProjections != null) {
            eventSourceProjections.subscriptions();
        }
        jackson.verifyUpcasters();
    }
}
