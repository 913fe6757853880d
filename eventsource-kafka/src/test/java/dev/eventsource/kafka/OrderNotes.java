package dev.eventsource.kafka;

import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A read model the consumer-side tests run from Kafka: the notes applied, in order, with who wrote them. */
@Projection("order-notes")
public class OrderNotes {

    final List<String> applied = new CopyOnWriteArrayList<>();

    @EventHandler
    void on(Noted noted, StoredEvent stored) {
        applied.add(noted.aggregateId() + "@" + noted.version() + " by " + stored.metadata().get("user"));
    }
}
