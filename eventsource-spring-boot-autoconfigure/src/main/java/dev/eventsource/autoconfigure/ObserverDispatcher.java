package dev.eventsource.autoconfigure;

import dev.eventsource.Event;
import dev.eventsource.Observer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.ClassUtils;

import java.util.List;

/**
 * Hands each appended event to the context's {@link Observer} beans and publishes it as a Spring application
 * event; inside a Spring-managed transaction only once it committed, so no listener sees an event that was rolled
 * back.
 */
final class ObserverDispatcher implements Observer {

    private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            ObserverDispatcher.class.getClassLoader());

    private final ObjectProvider<Observer> observers;

    private final ApplicationEventPublisher publisher;

    /** Resolved on first use: an observer bean may itself depend on a repository. */
    private volatile List<Observer> resolved;

    ObserverDispatcher(ObjectProvider<Observer> observers, ApplicationEventPublisher publisher) {
        this.observers = observers;
        this.publisher = publisher;
    }

    @Override
    public void observe(Event event) {
        if (TRANSACTIONS_PRESENT && AfterCommit.defer(() -> dispatch(event))) {
            return;
        }
        dispatch(event);
    }

    private void dispatch(Event event) {
        for (Observer observer : observers()) {
            observer.observe(event);
        }
        this.publisher.publishEvent(event);
    }

    private List<Observer> observers() {
        List<Observer> current = this.resolved;
        if (current == null) {
            current = this.observers.orderedStream().toList();
            this.resolved = current;
        }
        return current;
    }
}
