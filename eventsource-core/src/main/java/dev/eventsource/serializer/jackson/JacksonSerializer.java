package dev.eventsource.serializer.jackson;

import dev.eventsource.DuplicateEventTypeException;
import dev.eventsource.Event;
import dev.eventsource.EventRevisionException;
import dev.eventsource.EventRevisionException.Reason;
import dev.eventsource.InvalidUpcasterException;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.SerializationException.Direction;
import dev.eventsource.Serializer;
import dev.eventsource.StateSerializer;
import dev.eventsource.UnknownEventTypeException;
import dev.eventsource.internal.StateShapes;
import dev.eventsource.internal.TypeNames;
import dev.eventsource.upcast.UpcastContext;
import dev.eventsource.upcast.Upcaster;
import dev.eventsource.upcast.UpcasterChain;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Serializer} on Jackson 3: JSON by default ({@link #json()}), or CBOR, a binary form of the same data
 * model and the analogue of the seed's gob ({@link #cbor()}).
 *
 * <p><b>Which class is instantiated.</b> The stored type name picks the class among those bound, and nothing
 * else: class names inside the payload (an {@code "@class"} property, say) are ordinary unknown properties, and a
 * mapper with Jackson's default typing activated is refused, so stored data can never choose a class.
 *
 * <p><b>Unknown and missing properties.</b> Stored events outlive the code that wrote them, so reading is
 * tolerant whatever the caller's mapper says: properties the class no longer (or does not yet) declare are
 * ignored, and properties missing from an older payload get Jackson's absent value ({@code null},
 * {@code Optional.empty()}, 0). Everything else of the caller's mapper (modules, naming strategy, features)
 * applies. The payload's {@code aggregateId} and {@code version} must match the record's; a mismatch means the
 * data was corrupted or copied between aggregates and is a {@link SerializationException}.
 *
 * <p><b>Revisions and upcasting.</b> Every record carries the revision of its class's shape
 * ({@link Event#revision(Class)}). A record stored in the class's revision is read straight from its bytes. One
 * stored in an older revision, or under an {@linkplain dev.eventsource.annotation.EventType#aliases() alias}
 * with a chain of {@link #addUpcasters(Upcaster...) upcasters}, is parsed into a tree, upcast step by step and
 * then bound; the stored bytes are never rewritten. A revision newer than the class's, or older with no way up,
 * is an {@link EventRevisionException} naming the event; {@link #verifyUpcasters()} checks every chain at once
 * (the Spring starter calls it at start-up).
 *
 * <p><b>Instants.</b> The stored form is Jackson's (ISO-8601 text such as {@code 2024-05-06T07:08:09.123Z}).
 * Reading the canonical UTC form of it skips {@code DateTimeFormatter}, the largest single cost of reading an
 * event; every other form, and every {@code Instant} deserializer or format the caller's mapper configures, is
 * read by Jackson as before.
 *
 * <p><b>Numbers in PostgreSQL's {@code jsonb}.</b> The JDBC store keeps JSON payloads in {@code jsonb} on
 * PostgreSQL, which stores numbers as {@code numeric}: a payload reads back with the same values but not always the
 * same text. Exponents are expanded ({@code 1E+3} reads back as {@code 1000}, {@code 1.5e2} as {@code 150}), while
 * the scale of a decimal is kept ({@code 19.90} stays {@code 19.90}), so a {@code BigDecimal} keeps its scale and a
 * {@code double} its value. Compare payloads as parsed JSON, never as text; MySQL, MariaDB and H2 keep the text.
 */
public final class JacksonSerializer implements Serializer, StateSerializer {

    /** Stored revisions from this one up are planned on every read, not cached: no real chain is that long. */
    private static final int MAX_CACHED_REVISION = 64;

    /** The caller's mapper, unchanged: its copies below write and read payloads, and aggregate state. */
    private final ObjectMapper mapper;
    /**
     * A copy of it that also reads canonical instants fast ({@link CanonicalInstantDeserializer}) and fills a
     * payload's missing envelope from the record ({@link Envelope}).
     */
    private final ObjectMapper readingMapper;
    /** A copy of it that leaves the envelope (aggregate id, version, time: the record's columns) out of payloads. */
    private final ObjectMapper writingMapper;
    /**
     * Reads payloads to upcast into trees whose decimals are exact: a tree's default DoubleNode would round a
     * BigDecimal of more than 17 digits and drop the scale of {@code 10.50}, which the direct read keeps.
     */
    private final ObjectReader treeReader;
    private final PayloadFormat format;
    private final Map<String, Binding> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, Binding> byClass = new ConcurrentHashMap<>();
    /** Aliases of bound classes, each mapped to its class's type name. */
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private volatile UpcasterChain upcasters = UpcasterChain.empty();
    /**
     * The way up from each stored type and revision met so far, by type name and then by revision (an array, so
     * that reading an old event allocates no key); cleared whenever bindings or upcasters change. Arrays are
     * replaced, never changed, once in the map.
     */
    private final Map<String, UpcasterChain.Plan[]> plans = new ConcurrentHashMap<>();
    /** The caller's mapper seeing fields rather than getters and setters, for aggregate state; built when needed. */
    private volatile @Nullable ObjectMapper stateMapper;

    private JacksonSerializer(ObjectMapper mapper, PayloadFormat format) {
        if (mapper == null) {
            throw new IllegalArgumentException("The Jackson mapper must not be null");
        }
        if (mapper.deserializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null) {
            throw new IllegalArgumentException("The Jackson mapper has default typing activated, which lets stored "
                    + "data choose Java classes; give the serializer a mapper without activateDefaultTyping(...)");
        }
        boolean json = "JSON".equals(mapper.tokenStreamFactory().getFormatName());
        if (json != (format == PayloadFormat.JSON)) {
            throw new IllegalArgumentException("A " + format + " serializer needs a "
                    + (json ? "binary mapper (such as a CBORMapper), not a JSON one" : "JsonMapper") + ", got "
                    + mapper.tokenStreamFactory().getFormatName());
        }
        this.mapper = mapper;
        this.readingMapper = SpreadCreators.install(CanonicalInstantDeserializer.install(Envelope.reading(mapper)));
        this.writingMapper = Envelope.writing(mapper);
        this.treeReader = readingMapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
        this.format = format;
    }

    /** @return a JSON serializer on a default {@link JsonMapper} */
    public static JacksonSerializer json() {
        return json(JsonMapper.builder().build());
    }

    /**
     * Creates a JSON serializer on the caller's mapper, so its modules and settings apply.
     *
     * @param mapper the mapper; must write JSON
     * @return the serializer
     * @throws IllegalArgumentException when the mapper is null or has default typing activated
     */
    public static JacksonSerializer json(JsonMapper mapper) {
        return new JacksonSerializer(mapper, PayloadFormat.JSON);
    }

    /**
     * Creates a CBOR serializer; needs {@code tools.jackson.dataformat:jackson-dataformat-cbor} on the classpath.
     *
     * @return the serializer
     */
    public static JacksonSerializer cbor() {
        return new JacksonSerializer(Cbor.mapper(), PayloadFormat.BINARY);
    }

    /**
     * Creates a binary serializer on the caller's mapper (for example a configured {@code CBORMapper}).
     *
     * @param mapper the mapper; must write a binary format
     * @return the serializer
     * @throws IllegalArgumentException when the mapper is null, writes JSON, or has default typing activated
     */
    public static JacksonSerializer binary(ObjectMapper mapper) {
        return new JacksonSerializer(mapper, PayloadFormat.BINARY);
    }

    @Override
    public synchronized JacksonSerializer bind(Class<?>... eventTypes) {
        if (eventTypes == null) {
            throw new IllegalArgumentException("Cannot bind a null array of event classes");
        }
        // Check the whole batch before binding any of it, so a bad class leaves the bindings as they were.
        Map<String, Class<?>> batch = new LinkedHashMap<>();
        Map<Class<?>, List<String>> batchAliases = new LinkedHashMap<>();
        for (Class<?> type : eventTypes) {
            if (type == null) {
                throw new IllegalArgumentException("Cannot bind a null event class");
            }
            if (!Event.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("Cannot bind " + type.getName()
                        + ": it does not implement dev.eventsource.Event");
            }
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                throw new IllegalArgumentException("Cannot bind " + type.getName()
                        + ": it is abstract; bind the concrete event classes (records)");
            }
            if (byClass.containsKey(type) || batchAliases.containsKey(type)) {
                continue;
            }
            String name = Event.typeName(type);
            Event.revision(type);
            List<String> names = new ArrayList<>();
            names.add(name);
            names.addAll(TypeNames.aliasesOf(type));
            for (String claimed : names) {
                Binding existing = byName.get(claimed);
                Class<?> holder = existing != null ? existing.type : batch.get(claimed);
                if (holder != null && holder != type) {
                    throw duplicate(claimed, holder, type);
                }
            }
            names.forEach(claimed -> batch.put(claimed, type));
            batchAliases.put(type, names.subList(1, names.size()));
        }
        batchAliases.forEach((type, typeAliases) -> {
            String name = Event.typeName(type);
            Binding binding = new Binding(name, Event.revision(type), type,
                    readingMapper.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES),
                    writingMapper.writerFor(type));
            byName.put(name, binding);
            byClass.put(type, binding);
            for (String alias : typeAliases) {
                byName.put(alias, binding);
                aliases.put(alias, name);
            }
        });
        if (!batchAliases.isEmpty()) {
            plans.clear();
        }
        return this;
    }

    /**
     * Registers upcasters: steps from stored (type, revision) pairs up to the revisions of the bound classes.
     * Registering an upcaster twice is harmless; the chains as a whole are checked by {@link #verifyUpcasters()}.
     *
     * @param upcasters the upcasters to add
     * @return this serializer
     * @throws InvalidUpcasterException when two different upcasters read one type and revision
     * @throws IllegalArgumentException when an upcaster is null or lowers the revision
     */
    public synchronized JacksonSerializer addUpcasters(Upcaster... upcasters) {
        if (upcasters == null) {
            throw new IllegalArgumentException("Cannot add a null array of upcasters");
        }
        this.upcasters = this.upcasters.plus(Arrays.asList(upcasters));
        plans.clear();
        return this;
    }

    /**
     * Checks every chain of upcasters against the bound classes, so that a mistake shows at start-up rather than
     * when the first old event is read: two upcasters for one step, a chain that stops below its class's revision
     * (or a class whose revision above 1 no upcaster reaches), an upcaster from a revision its class already has, a
     * cycle, an upcaster that reads an alias.
     *
     * @return this serializer
     * @throws InvalidUpcasterException naming the first problem
     */
    public synchronized JacksonSerializer verifyUpcasters() {
        upcasters.verify(revisions(), Map.copyOf(aliases));
        return this;
    }

    /** @return the registered upcasters, in no particular order */
    public List<Upcaster> upcasters() {
        return List.copyOf(upcasters.upcasters());
    }

    @Override
    public Record marshal(Event event) {
        if (event == null) {
            throw new IllegalArgumentException("Cannot marshal a null event");
        }
        Binding binding = byClass.get(event.getClass());
        if (binding == null) {
            throw new UnknownEventTypeException(Event.typeName(event.getClass()), event.aggregateId());
        }
        byte[] data;
        try {
            data = binding.writer.writeValueAsBytes(event);
        } catch (JacksonException e) {
            String path = fieldPath(e);
            throw new SerializationException("Cannot serialize event " + binding.name + " version " + event.version()
                    + " of aggregate '" + event.aggregateId() + "'" + (path == null ? "" : " at " + path) + ": "
                    + e.getOriginalMessage() + "; nothing was stored", Direction.SERIALIZE,
                    binding.name, binding.type, event.aggregateId(), event.version(), path, e);
        }
        return Record.of(event.aggregateId(), event.version(), binding.name, binding.revision, event.at(), data);
    }

    @Override
    public Event unmarshal(Record record) {
        if (record == null) {
            throw new IllegalArgumentException("Cannot unmarshal a null record");
        }
        Binding binding = byName.get(record.type());
        if (binding == null || binding.revision != record.revision()) {
            return upcastAndRead(record, binding);
        }
        Object value;
        try {
            value = binding.reader.with(new Envelope(record)).readValue(record.data());
        } catch (JacksonException e) {
            throw unreadable(record, binding, "", e);
        }
        return checked(record, binding, value);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Records in their class's revision are read together: their payloads, copied one after the other into one
     * buffer, through one parser, each payload's envelope taken from its own record. A payload must end exactly
     * where the next begins; one that does not (a corrupt payload, which a single read would refuse), any failure,
     * and records to upcast are read one by one with {@link #unmarshal}, which reports them as it always does.
     */
    @Override
    public List<Event> unmarshalAll(List<Record> records) {
        int count = records.size();
        List<Event> events = new ArrayList<>(count);
        Binding[] bindings = new Binding[count];
        int from = 0;
        while (from < count) {
            int to = from;
            while (to < count && (bindings[to] = current(records.get(to))) != null) {
                to++;
            }
            if (to - from < 2) {
                events.add(unmarshal(records.get(from)));
                from++;
                continue;
            }
            int read = readTogether(records.subList(from, to), bindings, from, events);
            for (int i = from + read; i < to; i++) {
                events.add(unmarshal(records.get(i)));
            }
            from = to;
        }
        return events;
    }

    /** @return the binding a record is read straight into (its class's revision), or null when it needs upcasting */
    private @Nullable Binding current(Record record) {
        Binding binding = byName.get(record.type());
        return binding != null && binding.revision == record.revision() ? binding : null;
    }

    /**
     * Reads records whose bindings are current through one parser, adding their events; stops at the first record
     * it cannot read this way.
     *
     * @return how many records were read
     */
    int readTogether(List<Record> records, List<Event> events) {
        Binding[] bindings = new Binding[records.size()];
        for (int i = 0; i < bindings.length; i++) {
            bindings[i] = Objects.requireNonNull(current(records.get(i)), "a record to upcast");
        }
        return readTogether(records, bindings, 0, events);
    }

    /**
     * As {@link #readTogether(List, List)}, with each record's current binding already looked up: record {@code i}'s
     * is {@code bindings[offset + i]}.
     */
    private int readTogether(List<Record> records, Binding[] bindings, int offset, List<Event> events) {
        int bytes = 0;
        for (Record record : records) {
            bytes += record.data().length + 1;
        }
        byte[] all = new byte[bytes];
        int[] ends = new int[records.size()];
        int at = 0;
        for (int i = 0; i < ends.length; i++) {
            byte[] data = records.get(i).data();
            System.arraycopy(data, 0, all, at, data.length);
            at += data.length;
            ends[i] = at;
            // JSON: a newline keeps two payloads apart; CBOR items delimit themselves, and a byte would be an item.
            if (format == PayloadFormat.JSON) {
                all[at++] = '\n';
            }
        }
        Envelope envelope = new Envelope(records.get(0));
        Map<Binding, ObjectReader> readers = new IdentityHashMap<>();
        int read = 0;
        try (JsonParser parser = readingMapper.reader().createParser(all, 0, at)) {
            long start = 0;
            for (Record record : records) {
                Binding binding = bindings[offset + read];
                if (parser.nextToken() == null || parser.currentTokenLocation().getByteOffset() != start) {
                    return read;
                }
                envelope.use(record);
                // The next payload is no trailing token of this one: where each ends is checked below instead.
                Object value = readers.computeIfAbsent(binding, b -> b.reader.with(envelope)
                        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).readValue(parser);
                long end = parser.currentLocation().getByteOffset();
                if (end != ends[read]) {
                    return read;
                }
                events.add(checked(record, binding, value));
                read++;
                start = format == PayloadFormat.JSON ? end + 1 : end;
            }
        } catch (JacksonException | SerializationException e) {
            // Read again one by one from here: the single read reports it, with the record it belongs to.
            return read;
        }
        return read;
    }

    @Override
    public String currentType(Record record) {
        Binding binding = byName.get(record.type());
        if (binding != null && binding.revision == record.revision()) {
            return binding.name;
        }
        UpcasterChain.Plan plan = plan(record);
        if (plan.found()) {
            return plan.type();
        }
        return binding != null ? binding.name : record.type();
    }

    /** The plan of a record's stored type and revision, from the cache when it was met before. */
    private UpcasterChain.Plan plan(Record record) {
        String type = record.type();
        int revision = record.revision();
        UpcasterChain.Plan[] byRevision = plans.get(type);
        if (byRevision != null && revision < byRevision.length && byRevision[revision] != null) {
            return byRevision[revision];
        }
        UpcasterChain.Plan plan = upcasters.plan(type, revision, revisions(), Map.copyOf(aliases));
        if (revision < MAX_CACHED_REVISION) {
            plans.compute(type, (key, known) -> {
                UpcasterChain.Plan[] grown = known == null ? new UpcasterChain.Plan[revision + 1]
                        : Arrays.copyOf(known, Math.max(known.length, revision + 1));
                grown[revision] = plan;
                return grown;
            });
        }
        return plan;
    }

    /** Reads a record stored in another revision, or under a name that only upcasters know: the slow path. */
    private Event upcastAndRead(Record record, @Nullable Binding stored) {
        UpcasterChain.Plan plan = plan(record);
        if (!plan.found()) {
            if (stored == null && plan.steps().isEmpty() && !upcasters.reads(plan.type())) {
                throw new UnknownEventTypeException(record.type(), record.aggregateId());
            }
            throw revisionFailure(record, plan);
        }
        Binding binding = byName.get(plan.type());
        if (binding == null) {
            throw new IllegalStateException("No class is bound under '" + plan.type() + "' after planning");
        }
        ObjectNode payload;
        try {
            JsonNode tree = treeReader.readTree(record.data());
            if (!(tree instanceof ObjectNode object)) {
                throw new SerializationException("Cannot upcast event " + record.type() + " revision "
                        + record.revision() + " version " + record.version() + " of aggregate '"
                        + record.aggregateId() + "': the payload is " + (tree == null ? "empty" : tree.getNodeType())
                        + ", not an object", Direction.DESERIALIZE, record.type(), binding.type,
                        record.aggregateId(), record.version(), null, null);
            }
            payload = object;
        } catch (JacksonException e) {
            throw unreadable(record, binding, storedAs(record), e);
        }
        UpcastContext context = new UpcastContext(record.aggregateType(), record.aggregateId(), record.version(),
                record.position(), record.type(), record.revision(), record.at(), record.metadata());
        for (Upcaster upcaster : plan.steps()) {
            try {
                payload = upcaster.upcast(payload, context);
            } catch (RuntimeException e) {
                throw new SerializationException("Cannot upcast event " + record.type() + " revision "
                        + record.revision() + " version " + record.version() + " of aggregate '"
                        + record.aggregateId() + "'" + position(record) + ": " + upcaster + " failed: "
                        + e.getMessage(), Direction.DESERIALIZE, record.type(), binding.type, record.aggregateId(),
                        record.version(), null, e);
            }
            if (payload == null) {
                throw new SerializationException("Cannot upcast event " + record.type() + " revision "
                        + record.revision() + " version " + record.version() + " of aggregate '"
                        + record.aggregateId() + "'" + position(record) + ": " + upcaster + " returned null",
                        Direction.DESERIALIZE, record.type(), binding.type, record.aggregateId(), record.version(),
                        null, null);
            }
        }
        Object value;
        try {
            value = binding.reader.with(new Envelope(record)).readValue(payload);
        } catch (JacksonException e) {
            throw unreadable(record, binding, storedAs(record) + " after " + plan.steps().size() + " upcast step"
                    + (plan.steps().size() == 1 ? "" : "s"), e);
        }
        return checked(record, binding, value);
    }

    private static String storedAs(Record record) {
        return " (stored as " + record.type() + " revision " + record.revision() + ")";
    }

    private Event checked(Record record, Binding binding, @Nullable Object value) {
        if (value == null) {
            throw new SerializationException("Cannot deserialize event " + record.type() + " version "
                    + record.version() + " of aggregate '" + record.aggregateId()
                    + "': the payload is empty or null", Direction.DESERIALIZE, record.type(), binding.type,
                    record.aggregateId(), record.version(), null, null);
        }
        Event event = (Event) value;
        if (!record.aggregateId().equals(event.aggregateId()) || record.version() != event.version()) {
            throw new SerializationException("Cannot deserialize event " + record.type() + " version "
                    + record.version() + " of aggregate '" + record.aggregateId() + "': its payload says aggregate "
                    + (event.aggregateId() == null ? "null" : "'" + event.aggregateId() + "'") + " version "
                    + event.version() + "; the stored data is corrupt or was copied from another aggregate",
                    Direction.DESERIALIZE, record.type(), binding.type, record.aggregateId(),
                    record.version(), null, null);
        }
        return event;
    }

    private static SerializationException unreadable(Record record, Binding binding, String how,
                                                     JacksonException e) {
        return new SerializationException("Cannot deserialize event " + record.type() + " version "
                + record.version() + " of aggregate '" + record.aggregateId() + "'" + how + " into "
                + binding.type.getName() + ": " + e.getOriginalMessage(), Direction.DESERIALIZE,
                record.type(), binding.type, record.aggregateId(), record.version(), fieldPath(e), e);
    }

    private static EventRevisionException revisionFailure(Record record, UpcasterChain.Plan plan) {
        String event = "Event " + record.type() + " revision " + record.revision() + " of aggregate "
                + (record.aggregateType() == null ? "" : record.aggregateType() + " ") + "'" + record.aggregateId()
                + "' version " + record.version() + position(record);
        String message;
        if (plan.reason() == Reason.NEWER_THAN_CODE && plan.steps().isEmpty()) {
            message = event + " is newer than its class, which declares revision " + plan.currentRevision()
                    + ": it was written by a newer release of the application; run that release (or one that "
                    + "knows revision " + record.revision() + ") to read it";
        } else if (plan.currentRevision() == 0) {
            message = event + " cannot be read: the upcasters lead to '" + plan.type() + "' revision "
                    + plan.revision() + ", under which no event class is bound; bind it or add the missing step";
        } else {
            message = event + " cannot be read: no upcaster reads '" + plan.type() + "' revision " + plan.revision()
                    + " and its class declares revision " + plan.currentRevision() + "; register Upcaster.from(\""
                    + plan.type() + "\", " + plan.revision() + ")";
        }
        return new EventRevisionException(message, plan.steps().isEmpty() && plan.reason() == Reason.NEWER_THAN_CODE
                ? Reason.NEWER_THAN_CODE : Reason.NO_UPCASTER, record.aggregateType(), record.aggregateId(),
                record.version(), record.position(), record.type(), record.revision(), plan.currentRevision());
    }

    private static String position(Record record) {
        return record.position() == 0 ? "" : " at position " + record.position();
    }

    /** The current revision of every bound type name. */
    private Map<String, Integer> revisions() {
        Map<String, Integer> revisions = new HashMap<>();
        byClass.values().forEach(binding -> revisions.put(binding.name, binding.revision));
        return revisions;
    }

    /**
     * Serializes an aggregate's fields (whatever their visibility; getters and setters are not used) with the
     * caller's mapper and its modules, in this serializer's format.
     */
    @Override
    public byte[] marshalState(Object aggregate) {
        try {
            return stateMapper().writeValueAsBytes(aggregate);
        } catch (JacksonException e) {
            String path = fieldPath(e);
            throw new SerializationException("Cannot serialize the state of " + aggregate.getClass().getName()
                    + (path == null ? "" : " at " + path) + " for a snapshot: " + e.getOriginalMessage()
                    + "; give the field a type Jackson can write, or mark it transient", Direction.SERIALIZE,
                    "state", aggregate.getClass(), null, 0, path, e);
        }
    }

    @Override
    public void unmarshalState(Object aggregate, byte[] data) {
        try {
            stateMapper().readerForUpdating(aggregate).readValue(data);
        } catch (JacksonException e) {
            throw new SerializationException("Cannot read a snapshot into " + aggregate.getClass().getName() + ": "
                    + e.getOriginalMessage(), Direction.DESERIALIZE, "state", aggregate.getClass(), null, 0,
                    fieldPath(e), e);
        }
    }

    @Override
    public String fingerprint(Class<?> aggregateType) {
        return StateShapes.fingerprint(aggregateType);
    }

    private ObjectMapper stateMapper() {
        ObjectMapper state = stateMapper;
        if (state == null) {
            // Merging reads into the values the new aggregate's constructor made, so that a final field and the
            // concrete class of a collection (a TreeMap behind a Map field) are kept.
            state = mapper.rebuild().changeDefaultVisibility(visibility -> visibility
                            .withFieldVisibility(Visibility.ANY).withGetterVisibility(Visibility.NONE)
                            .withIsGetterVisibility(Visibility.NONE).withSetterVisibility(Visibility.NONE))
                    .defaultMergeable(true)
                    .enable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
                    .build();
            stateMapper = state;
        }
        return state;
    }

    @Override
    public PayloadFormat format() {
        return format;
    }

    /**
     * Returns the class bound under a type name.
     *
     * @param typeName the stored type name
     * @return the class, or {@code null} when none is bound
     */
    public @Nullable Class<?> boundType(String typeName) {
        Binding binding = byName.get(typeName);
        return binding == null ? null : binding.type;
    }

    /**
     * Names the field a conversion failed on as a JSON path ("$.address.lines[2]"), so that a value the format
     * cannot hold (the CBOR writer refuses lone surrogates) can be found; null when Jackson gives no path.
     */
    private static @Nullable String fieldPath(JacksonException e) {
        List<JacksonException.Reference> references = e.getPath();
        if (references.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private record Binding(String name, int revision, Class<?> type, ObjectReader reader, ObjectWriter writer) {
    }

    private static DuplicateEventTypeException duplicate(String name, Class<?> holder, Class<?> claimant) {
        boolean holderAlias = !Event.typeName(holder).equals(name);
        boolean claimantAlias = !Event.typeName(claimant).equals(name);
        if (!holderAlias && !claimantAlias) {
            return new DuplicateEventTypeException(name, holder, claimant);
        }
        return new DuplicateEventTypeException("Event type name '" + name + "' is claimed twice: it is "
                + (holderAlias ? "an alias" : "the type name") + " of " + holder.getName() + " and "
                + (claimantAlias ? "an alias" : "the type name") + " of " + claimant.getName()
                + "; stored events under one name must be read as one class, so remove the alias or rename the type",
                name, holder, claimant);
    }

    /**
     * Keeps CBORMapper out of this class's own bytecode: verifying a method that passes a CBORMapper as an
     * ObjectMapper loads CBORMapper, so without this holder the optional CBOR jar would be needed even for JSON.
     */
    private static final class Cbor {

        static ObjectMapper mapper() {
            return tools.jackson.dataformat.cbor.CBORMapper.builder().build();
        }
    }
}
