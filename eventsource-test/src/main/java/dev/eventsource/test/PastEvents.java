package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes events in a past shape into a store, so a test can check that today's classes (and upcasters) still read
 * what an older release stored: raw JSON, the type name and the revision it was stored with, straight into any
 * {@link Store} (memory or JDBC), bypassing today's serializer.
 *
 * <pre>{@code
 * Repository<Account> accounts = Repository.builder(Account.class).store(store).serializer(serializer).build();
 *
 * PastEvents.into(accounts).append("acc-1",
 *         PastEvent.of("AccountOpened", 1, """
 *                 {"owner": "Ada"}"""),
 *         PastEvent.of("MoneyDeposited", 1, """
 *                 {"amount": 100.50}""").metadata(Map.of("user", "ada")));
 *
 * assertThat(accounts.load("acc-1").balance()).isEqualByComparingTo("100.50");   // read with today's classes
 * }</pre>
 *
 * <p>What it does to each event, so the JSON needs only the event's own fields:
 *
 * <ul>
 *   <li><b>Versions</b> follow what the store already holds for the aggregate (1, 2, ... for a new one), so past
 *       events can be written before, after or between events appended by a repository.</li>
 *   <li><b>Envelope fields.</b> The record's columns hold the aggregate id, version and time, and the serializer
 *       fills them in on read, so the JSON needs none of {@code aggregateId}, {@code version} and {@code at}
 *       (today's payloads leave them out); JSON written by releases that kept them in the payload may have them,
 *       and then they must match the aggregate, the version the event gets and its
 *       {@linkplain PastEvent#at(java.time.Instant) time}. The JSON is stored as given.</li>
 *   <li><b>Time</b>: {@link PastEvent#at(Instant)}, else the JSON's {@code at}, else now (at microseconds, the
 *       precision of the JDBC store).</li>
 *   <li><b>Bytes</b>: UTF-8 JSON for a {@link PayloadFormat#JSON} serializer; for {@link PayloadFormat#BINARY},
 *       the same tree as CBOR, which needs {@code tools.jackson.dataformat:jackson-dataformat-cbor} on the test
 *       classpath (it is there whenever the serializer writes CBOR).</li>
 * </ul>
 *
 * <p>The events of one {@code append} are saved as one batch with the store's own {@link Store#save}, in the
 * aggregate type's stream and in the revision given, so they are read exactly as stored events of that revision:
 * by {@link Repository#load}, {@link Repository#history}, the global stream and projections.
 */
public final class PastEvents {

    private final Store store;
    private final PayloadFormat format;
    private final String aggregateType;

    private PastEvents(Store store, PayloadFormat format, String aggregateType) {
        this.store = store;
        this.format = format;
        this.aggregateType = aggregateType;
    }

    /**
     * Writes into a repository's store, in its aggregate type's stream and its serializer's payload format.
     *
     * @param repository the repository that will read the events
     * @return the fixture
     * @throws IllegalArgumentException when the repository is null
     */
    public static PastEvents into(Repository<?> repository) {
        if (repository == null) {
            throw new IllegalArgumentException("PastEvents.into(repository): the repository must not be null");
        }
        return new PastEvents(repository.store(), repository.serializer().format(), repository.aggregateTypeName());
    }

    /**
     * Writes into a store, in an aggregate type's stream and a serializer's payload format.
     *
     * @param store the store
     * @param serializer the serializer that will read the events (only its {@link Serializer#format()} is used)
     * @param aggregateType the aggregate type's stream name ({@link dev.eventsource.Aggregate#typeName(Class)})
     * @return the fixture
     * @throws IllegalArgumentException when an argument is null or the aggregate type blank
     */
    public static PastEvents into(Store store, Serializer serializer, String aggregateType) {
        if (serializer == null) {
            throw new IllegalArgumentException("PastEvents.into(store, serializer, aggregateType): the serializer "
                    + "must not be null; it says which payload format to write");
        }
        return into(store, serializer.format(), aggregateType);
    }

    /**
     * Writes into a store, in an aggregate type's stream and a payload format.
     *
     * @param store the store
     * @param format the payload format of the serializer that will read the events
     * @param aggregateType the aggregate type's stream name ({@link dev.eventsource.Aggregate#typeName(Class)})
     * @return the fixture
     * @throws IllegalArgumentException when an argument is null or the aggregate type blank
     */
    public static PastEvents into(Store store, PayloadFormat format, String aggregateType) {
        if (store == null) {
            throw new IllegalArgumentException("PastEvents.into(...): the store must not be null");
        }
        if (format == null) {
            throw new IllegalArgumentException("PastEvents.into(...): the payload format must not be null; give "
                    + "the serializer's format()");
        }
        if (aggregateType == null || aggregateType.isBlank()) {
            throw new IllegalArgumentException("PastEvents.into(...): the aggregate type must not be blank, got "
                    + (aggregateType == null ? "null" : "'" + aggregateType + "'")
                    + "; give Aggregate.typeName(YourAggregate.class)");
        }
        return new PastEvents(store, format, aggregateType);
    }

    /**
     * Appends one past event to an aggregate's history; see {@link #append(String, List)}.
     *
     * @param aggregateId the aggregate
     * @param type the type name the event was stored under
     * @param revision the revision of its shape, from 1
     * @param json its payload, a JSON object
     * @return the record as stored (position 0: the store numbers it)
     * @throws IllegalArgumentException when the type is blank, the revision below 1, the JSON malformed or not an
     *     object, or its envelope fields do not fit
     */
    public Record append(String aggregateId, String type, int revision, String json) {
        return append(aggregateId, PastEvent.of(type, revision, json)).get(0);
    }

    /**
     * Appends past events to an aggregate's history; see {@link #append(String, List)}.
     *
     * @param aggregateId the aggregate
     * @param events the events, oldest first
     * @return the records as stored, in order
     * @throws IllegalArgumentException when the id is blank, there are no events, an event is null, or a payload's
     *     envelope fields do not fit
     */
    public List<Record> append(String aggregateId, PastEvent... events) {
        if (events == null) {
            throw new IllegalArgumentException("append(\"" + aggregateId + "\", ...): the events must not be null");
        }
        return append(aggregateId, Arrays.asList(events));
    }

    /**
     * Appends past events to an aggregate's history as one batch, numbered after the versions the store holds for
     * it, with their envelope fields filled in and their payloads in the store's format.
     *
     * @param aggregateId the aggregate
     * @param events the events, oldest first
     * @return the records as stored, in order (position 0: the store numbers them)
     * @throws IllegalArgumentException when the id is blank, there are no events, an event is null, or a payload's
     *     {@code aggregateId}, {@code version} or {@code at} differs from the one the event gets
     * @throws dev.eventsource.ConcurrencyConflictException when another writer appended to the aggregate meanwhile
     * @throws AggregateNotFoundException when the id is a stream of another aggregate type
     */
    public List<Record> append(String aggregateId, List<PastEvent> events) {
        if (aggregateId == null || aggregateId.isBlank()) {
            throw new IllegalArgumentException("Past events need a non-blank aggregate id, got "
                    + (aggregateId == null ? "null" : "'" + aggregateId + "'"));
        }
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("append(\"" + aggregateId + "\", ...) got no events; give at least "
                    + "one PastEvent");
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new IllegalArgumentException("append(\"" + aggregateId + "\", ...): event at index " + i
                        + " is null");
            }
        }
        long version = storedVersion(aggregateId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Record> records = new ArrayList<>(events.size());
        for (PastEvent event : events) {
            version++;
            records.add(record(aggregateId, version, event, now));
        }
        store.save(aggregateId, records);
        return List.copyOf(records);
    }

    private long storedVersion(String aggregateId) {
        try {
            return store.load(aggregateId).version();
        } catch (AggregateNotFoundException none) {
            return 0;
        }
    }

    private Record record(String aggregateId, long version, PastEvent event, Instant now) {
        String name = event + " as " + aggregateType + " '" + aggregateId + "' version " + version;
        ObjectNode given = event.payload();
        JsonNode id = given.get("aggregateId");
        if (id != null && !(id.isString() && id.asString().equals(aggregateId))) {
            throw new IllegalArgumentException(name + ": its JSON says aggregateId " + id + "; leave aggregateId "
                    + "out (it is filled in) or make it \"" + aggregateId + "\"");
        }
        JsonNode stated = given.get("version");
        if (stated != null && !(stated.isIntegralNumber() && stated.asLong() == version)) {
            throw new IllegalArgumentException(name + ": its JSON says version " + stated + ", but the event is "
                    + "appended as version " + version + " after the " + (version - 1) + " the store holds; leave "
                    + "version out (events are numbered after the stored ones)");
        }
        Instant at = time(name, event, given.get("at"), now);
        // Stored as given: the record's columns hold the aggregate id, version and time, as for today's events.
        return new Record(aggregateType, aggregateId, version, event.type(), event.revision(), at,
                bytes(given), event.metadata(), null, 0);
    }

    /** The record's time: the event's, else the payload's when it is an instant, else now. */
    private static Instant time(String name, PastEvent event, @Nullable JsonNode inPayload, Instant now) {
        Instant given = event.time();
        @Nullable Instant stated = null;
        if (inPayload != null && inPayload.isString()) {
            try {
                stated = Instant.parse(inPayload.asString());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(name + ": its JSON's at, " + inPayload + ", is no ISO-8601 "
                        + "instant such as \"2021-03-01T09:30:00Z\"; fix it or leave at out and use at(Instant)", e);
            }
        }
        if (given != null && stated != null && !given.equals(stated)) {
            throw new IllegalArgumentException(name + ": at(" + given + ") differs from the JSON's at, " + inPayload
                    + "; give the time once");
        }
        return given != null ? given : stated != null ? stated : now;
    }

    private byte[] bytes(ObjectNode payload) {
        return switch (format) {
            case JSON -> PastEvent.JSON.writeValueAsBytes(payload);
            case BINARY -> Cbor.bytes(payload);
        };
    }

    @Override
    public String toString() {
        return "PastEvents into " + store + ", " + aggregateType + " stream, " + format + " payloads";
    }

    /** Keeps CBORMapper out of this class's bytecode, so JSON users need no CBOR jar. */
    private static final class Cbor {

        static byte[] bytes(ObjectNode payload) {
            try {
                return Holder.MAPPER.writeValueAsBytes(payload);
            } catch (NoClassDefFoundError missing) {
                throw new IllegalStateException("The serializer writes BINARY (CBOR) payloads, but "
                        + "tools.jackson.dataformat:jackson-dataformat-cbor is not on the classpath; add it (test "
                        + "scope) to write past events in CBOR", missing);
            }
        }

        private static final class Holder {
            static final tools.jackson.dataformat.cbor.CBORMapper MAPPER =
                    tools.jackson.dataformat.cbor.CBORMapper.builder().build();
        }
    }
}
