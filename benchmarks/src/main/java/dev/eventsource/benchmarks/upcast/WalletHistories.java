package dev.eventsource.benchmarks.upcast;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.upcast.Upcaster;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

    /** Returns a wallet's first {@code count} events in today's shape, marshalled by the given serializer. */
    public static List<Record> current(Serializer serializer, String aggregateId, int count) {
        List<Record> records = new ArrayList<>(count);
        for (Event event : events(aggregateId, count)) {
            records.add(serializer.marshal(event));
        }
        return records;
    }

    /**
     * Returns the same history as it was stored in revision 1: today's payloads (as the given serializer writes
     * them) with the renamed fields under their old names, each record marked revision 1. Only the field names
     * differ from {@link #current}, so the two loads differ only in the upcasting.
     */
    public static List<Record> revision1(Serializer serializer, String aggregateId, int count) {
        List<Record> records = new ArrayList<>(count);
        for (Record record : current(serializer, aggregateId, count)) {
            ObjectNode payload = (ObjectNode) OLD_WRITER.readTree(record.data());
            if (record.type().equals("WalletOpened")) {
                payload.set("holder", payload.remove("owner"));
            } else {
                payload.set("amt", payload.remove("amount"));
            }
            records.add(new Record(record.aggregateType(), record.aggregateId(), record.version(), record.type(), 1,
                    record.at(), OLD_WRITER.writeValueAsBytes(payload), record.metadata(), record.commandId(),
                    record.position()));
        }
        return records;
    }

    /**
     * Returns today's history as the serializer before upcasting (and before slim payloads) wrote it: every
     * payload with its aggregate id, version and time, each record marked revision 2. Today's serializer reads
     * these too, so both serializers can be timed on the same bytes.
     */
    public static List<Record> full(Serializer preUpcasting, String aggregateId, int count) {
        return current(preUpcasting, aggregateId, count).stream().map(record -> record.withRevision(2)).toList();
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
