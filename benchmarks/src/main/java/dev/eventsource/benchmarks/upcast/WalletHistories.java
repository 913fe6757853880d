package dev.eventsource.benchmarks.upcast;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.upcast.Upcaster;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The wallet histories the benchmarks store, in today's shape (revision 2) or in the old one (revision 1). */
public final class WalletHistories {

    /** The reference every credit carries, as long as the main benchmarks' deposit reference. */
    public static final String REFERENCE = "invoice 2024-000123, thank you";

    /** The one step each event type needs from revision 1: a renamed field. */
    public static final List<Upcaster> STEPS = List.of(
            Upcaster.from("WalletOpened", 1).renameField("holder", "owner"),
            Upcaster.from("Credited", 1).renameField("amt", "amount"));

    /**
     * Upcasters of types the wallet never stores, as an application that evolved other events has: their
     * presence must not slow the reading of events in today's revision.
     */
    public static final List<Upcaster> OTHER_TYPES = otherTypes();

    private static final JsonMapper OLD_WRITER = JsonMapper.builder().build();

    private WalletHistories() {
    }

    /**
     * Returns a wallet's first {@code count} events in today's shape, marshalled by the given serializer (which
     * writes revision 2).
     */
    public static List<Record> current(Serializer serializer, String aggregateId, int count) {
        List<Record> records = new ArrayList<>(count);
        for (Event event : events(aggregateId, count)) {
            records.add(serializer.marshal(event));
        }
        return records;
    }

    /**
     * Returns the same history as it was stored in revision 1: the payloads of today's events with the renamed
     * fields under their old names, each record marked revision 1.
     */
    public static List<Record> revision1(String aggregateId, int count) {
        List<Record> records = new ArrayList<>(count);
        for (Event event : events(aggregateId, count)) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("aggregateId", event.aggregateId());
            payload.put("version", event.version());
            payload.put("at", event.at());
            String type;
            if (event instanceof WalletOpened opened) {
                type = "WalletOpened";
                payload.put("holder", opened.owner());
            } else {
                Credited credited = (Credited) event;
                type = "Credited";
                payload.put("amt", credited.amount());
                payload.put("reference", credited.reference());
            }
            records.add(Record.of(event.aggregateId(), event.version(), type, 1, event.at(),
                    OLD_WRITER.writeValueAsBytes(payload)));
        }
        return records;
    }

    private static List<Event> events(String aggregateId, int count) {
        List<Event> events = new ArrayList<>(count);
        Instant at = Instant.now();
        events.add(new WalletOpened(aggregateId, 1, at, "owner-" + aggregateId));
        for (int version = 2; version <= count; version++) {
            events.add(new Credited(aggregateId, version, at, 1, REFERENCE));
        }
        return events;
    }

    private static List<Upcaster> otherTypes() {
        List<Upcaster> upcasters = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            upcasters.add(Upcaster.from("OtherEvent" + i, 1).renameField("old", "new"));
            upcasters.add(Upcaster.from("OtherEvent" + i, 2).addField("added", "default"));
        }
        return List.copyOf(upcasters);
    }
}
