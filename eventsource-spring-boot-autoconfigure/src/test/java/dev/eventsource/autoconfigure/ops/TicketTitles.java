package dev.eventsource.autoconfigure.ops;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.annotation.ResetHandler;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A projection of ticket titles that fails on the title "poison" while {@link #broken} (a bug, fixed by clearing
 * it), and counts its resets; each application context has its own.
 */
@Component
@Projection("titles")
public class TicketTitles {

    public volatile boolean broken = true;

    public final Map<String, String> titles = new ConcurrentHashMap<>();

    /** Every event handled, as {@code id@title}, in order, duplicates included. */
    public final List<String> handled = new CopyOnWriteArrayList<>();

    public final AtomicInteger resets = new AtomicInteger();

    @EventHandler
    void on(Ticket.Opened event) {
        if (this.broken && event.title().equals("poison")) {
            throw new IllegalStateException("cannot project poison");
        }
        this.handled.add(event.aggregateId() + "@" + event.title());
        this.titles.put(event.aggregateId(), event.title());
    }

    @ResetHandler
    void clear() {
        this.resets.incrementAndGet();
        this.titles.clear();
    }
}
