package dev.eventsource.autoconfigure.memory;

import dev.eventsource.Event;
import dev.eventsource.Observer;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.app.Account;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what an observer and an {@code @EventListener} receive, as {@code id@version}, and what the store showed
 * the observer at that moment.
 */
@Component
public class DepositRecorder implements Observer {

    public final List<String> observed = new CopyOnWriteArrayList<>();

    public final List<String> listened = new CopyOnWriteArrayList<>();

    /** For each observed event, {@code id@version} of the aggregate as the store showed it to the observer. */
    public final List<String> storeSawWhenObserved = new CopyOnWriteArrayList<>();

    private final Store store;

    public DepositRecorder(Store store) {
        this.store = store;
    }

    @Override
    public void observe(Event event) {
        observed.add(event.aggregateId() + "@" + event.version());
        storeSawWhenObserved.add(event.aggregateId() + "@" + store.load(event.aggregateId()).version());
    }

    @EventListener
    void on(Account.Deposited event) {
        listened.add(event.aggregateId() + "@" + event.version());
    }

    /** @return how many of the recorded entries name this aggregate */
    public static long count(List<String> entries, String id) {
        return entries.stream().filter((entry) -> entry.startsWith(id + "@")).count();
    }
}
