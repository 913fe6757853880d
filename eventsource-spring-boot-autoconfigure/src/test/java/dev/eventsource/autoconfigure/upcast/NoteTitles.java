package dev.eventsource.autoconfigure.upcast;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A projection (a subscription) that collects the titles of {@link Noted} events. */
@Component
@Projection("note-titles")
public class NoteTitles {

    private final List<String> titles = new CopyOnWriteArrayList<>();

    @EventHandler
    void on(Noted event) {
        this.titles.add(event.title());
    }

    /** @return the titles projected so far */
    public List<String> titles() {
        return this.titles;
    }
}
