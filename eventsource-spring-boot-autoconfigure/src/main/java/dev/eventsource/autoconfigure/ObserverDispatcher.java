package dev.eventsource.autoconfigure;

import dev.eventsource.Event;
import dev.eventsource.Observer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;

import java.util.List;

/**
 * The one observer of every auto-configured repository. For each appended event it first runs the inline
 * projections ({@link EventSourceProjections#project}), in the caller's thread and transaction; then it hands the
 * event to the context's {@link Observer} beans and publishes it as a Spring application event, inside a
 * Spring-managed transaction only once it committed, so no listener sees an event that was rolled back.
 */
final class ObserverDispatcher implements Observer {

    private final ObjectProvider<EventSourceProjections> projections;

    private final ObjectProvider<Observer> observers;

    private final ApplicationEventPublisher publisher;

    /** Resolved on first use, not per event: a projection or observer bean may itself depend on a repository. */
    private volatile @Nullable Targets resolved;

    ObserverDispatcher(ObjectProvider<EventSourceProjections> projections, ObjectProvider<Observer> observers,
            ApplicationEventPublisher publisher) {
        this.projections = projections;
        this.observers = observers;
        this.publisher = publisher;
    }

    @Override
    public void observe(Event event) {
        Targets targets = targets();
        if (targets.projections() != null) {
            targets.projections().project(event);
        }
        if (!SpringTransactions.deferToCommit(() -> dispatch(targets.observers(), event))) {
            dispatch(targets.observers(), event);
        }
    }

    private void dispatch(List<Observer> observers, Event event) {
        for (Observer observer : observers) {
            observer.observe(event);
        }
        this.publisher.publishEvent(event);
    }

    private Targets targets() {
        Targets current = this.resolved;
        if (current == null) {
            current = new Targets(this.projections.getIfAvailable(), this.observers.orderedStream().toList());
            this.resolved = current;
        }
        return current;
    }

    /** The inline projections (absent when the application replaced them) and the observer beans, in order. */
    private record Targets(@Nullable EventSourceProjections projections, List<Observer> observers) {
    }
}
