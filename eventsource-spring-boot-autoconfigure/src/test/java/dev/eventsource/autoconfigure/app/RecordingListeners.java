package dev.eventsource.autoconfigure.app;

import dev.eventsource.Event;
import dev.eventsource.Observer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the events an observer, an {@code @EventListener} and a {@code @TransactionalEventListener} receive. */
@Component
public class RecordingListeners implements Observer {

    public final List<String> observed = new CopyOnWriteArrayList<>();

    public final List<String> listened = new CopyOnWriteArrayList<>();

    public final List<String> afterCommit = new CopyOnWriteArrayList<>();

    @Override
    public void observe(Event event) {
        observed.add(event.aggregateId());
    }

    @EventListener
    void on(Person.Registered event) {
        listened.add(event.aggregateId());
    }

    @TransactionalEventListener
    void afterCommit(Person.Registered event) {
        afterCommit.add(event.aggregateId());
    }
}
