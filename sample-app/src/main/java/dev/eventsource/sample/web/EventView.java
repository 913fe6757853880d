package dev.eventsource.sample.web;

import dev.eventsource.StoredEvent;
import dev.eventsource.sample.session.CurrentUser;
import dev.eventsource.sample.session.SessionConfiguration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;

/**
 * One event of a history as the API shows it.
 *
 * @param version the aggregate's version after the event
 * @param type the event's stored type name
 * @param at when it happened
 * @param user who made the change
 * @param data the event's own fields (those beyond id, version and time); money as {@code "amount"}
 */
public record EventView(long version, String type, Instant at, String user, ObjectNode data) {

    static List<EventView> of(List<StoredEvent> history, JsonMapper mapper) {
        return history.stream().map((stored) -> of(stored, mapper)).toList();
    }

    private static EventView of(StoredEvent stored, JsonMapper mapper) {
        ObjectNode data = mapper.valueToTree(stored.event());
        // Already shown beside the data, or implied by the URL.
        data.remove(List.of("aggregateId", "version", "at"));
        // Money events hold {"money": {"amount": 100.50, "currency": "EUR"}} since their revision 2; the API shows
        // {"amount": 100.50} as before, since every account is in euros.
        if (data.get("money") instanceof ObjectNode money && money.has("amount")) {
            data.remove("money");
            data.set("amount", money.get("amount"));
        }
        String user = stored.metadata().getOrDefault(SessionConfiguration.USER, CurrentUser.ANONYMOUS);
        return new EventView(stored.event().version(), stored.event().type(), stored.event().at(), user, data);
    }
}
