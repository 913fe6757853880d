package dev.eventsource;

import dev.eventsource.internal.AggregateModel;
import dev.eventsource.internal.Batches;
import dev.eventsource.internal.RecordValidator;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Loads aggregates by replaying their events, applies commands to them and appends the events produced.
 * Thread-safe; create one per aggregate type with {@link #builder(Class)}:
 *
 * <pre>{@code
 * Repository<Person> people = Repository.builder(Person.class)
 *         .store(store)            // default: a new MemoryStore
 *         .serializer(serializer)  // default: JSON
 *         .build();
 * long version = people.apply(new ChangeName(id, "Ada"));
 * Person person = people.load(id);
 * CommandResult<Person> result = people.execute(new ChangeName(id, "Ada Lovelace")); // the aggregate after it
 * }</pre>
 *
 * <p>The aggregate's events form a stream of its type ({@link Aggregate#typeName(Class)}), stored with every
 * event: an id whose stream belongs to another aggregate type is not found through this repository, and no command
 * of this repository can append to it.
 *
 * <p>The event types of the aggregate's {@code @EventHandler} methods are bound to the serializer by
 * {@link Builder#build()}; bind others with {@link Builder#events(Class[])}.
 *
 * @param <A> the aggregate type
 */
public final class Repository<A extends Aggregate> {

    private static final System.Logger LOG = System.getLogger(Repository.class.getName());

    private final Class<A> type;
    private final String typeName;
    private final Set<String> eventTypeNames;
    private final Supplier<A> factory;
    private final Store store;
    private final Serializer serializer;
    private final List<Observer> observers;
    private final Backoff retry;
    private final AtomicBoolean staleReadReported = new AtomicBoolean();
    private final Supplier<Map<String, String>> metadata;
    private final RepositoryMetrics metrics;
    private final @Nullable SnapshotSupport snapshots;

    private Repository(Builder<A> builder) {
        this.type = builder.type;
        this.typeName = Aggregate.typeName(builder.type);
        this.eventTypeNames = builder.eventTypeNames();
        this.factory = builder.factory;
        this.store = builder.store;
        this.serializer = builder.serializer;
        this.observers = List.copyOf(builder.observers);
        this.retry = builder.retry;
        this.metadata = builder.metadata;
        this.metrics = builder.metrics;
        this.snapshots = builder.snapshotStore == null ? null : new SnapshotSupport(type, typeName,
                builder.snapshotStore, (StateSerializer) builder.serializer,
                builder.snapshotPolicy != null ? builder.snapshotPolicy : SnapshotPolicy.of(type),
                builder.snapshotExecutor, metrics);
    }

    /**
     * Starts a repository for an aggregate class with a no-argument constructor (it may be private).
     *
     * @param type the aggregate class
     * @return a builder
     * @throws InvalidHandlerException when the class has no no-argument constructor or malformed handlers
     */
    public static <A extends Aggregate> Builder<A> builder(Class<A> type) {
        Objects.requireNonNull(type, "type");
        AggregateModel model = AggregateModel.of(type);
        model.requireNoArgConstructor();
        return new Builder<>(type, () -> type.cast(model.newInstance()));
    }

    /**
     * Starts a repository whose empty aggregates come from a factory.
     *
     * @param type the aggregate class
     * @param factory creates a new, empty aggregate on each call
     * @return a builder
     */
    public static <A extends Aggregate> Builder<A> builder(Class<A> type, Supplier<A> factory) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        AggregateModel.of(type);
        return new Builder<>(type, factory);
    }

    /** @return the aggregate class */
    public Class<A> aggregateType() {
        return type;
    }

    /** @return the stream type stored with this aggregate's events; see {@link Aggregate#typeName(Class)} */
    public String aggregateTypeName() {
        return typeName;
    }

    /** @return the store this repository appends to */
    public Store store() {
        return store;
    }

    /** @return how commands are retried after a concurrency conflict: the pauses and limits */
    public Backoff retry() {
        return retry;
    }

    /** @return the serializer this repository uses */
    public Serializer serializer() {
        return serializer;
    }

    /** @return a new, empty aggregate, with no history */
    public A newAggregate() {
        A aggregate = factory.get();
        if (aggregate == null) {
            throw new EventSourceException("Factory of " + type.getName() + " returned null; it must return a new aggregate");
        }
        return aggregate;
    }

    /**
     * Loads an aggregate by replaying all its events.
     *
     * @param aggregateId the aggregate's id
     * @return the aggregate in its current state
     * @throws AggregateNotFoundException when the aggregate has no events, or the id belongs to an aggregate of
     *     another type
     * @throws UnknownEventTypeException when a stored event's type is not bound
     * @throws UnhandledEventException when the aggregate has no handler for a stored event
     */
    public A load(String aggregateId) {
        Batches.requireAggregateId(aggregateId);
        Loaded<A> current = loadCurrent(aggregateId);
        if (current == null) {
            throw new AggregateNotFoundException(typeName, aggregateId, null);
        }
        snapshotIfDue(aggregateId, current.replayed, current.loadNanos);
        return current.aggregate;
    }

    /**
     * Loads the stored events of an aggregate with their metadata, in version order.
     *
     * @param aggregateId the aggregate's id
     * @return its events
     * @throws AggregateNotFoundException when the aggregate has no events, or the id belongs to an aggregate of
     *     another type
     */
    public List<StoredEvent> history(String aggregateId) {
        Batches.requireAggregateId(aggregateId);
        History history;
        try {
            history = store.load(aggregateId, 0, 0);
        } catch (AggregateNotFoundException notFound) {
            throw aggregateId.equals(notFound.aggregateId())
                    ? new AggregateNotFoundException(typeName, aggregateId, null) : notFound;
        }
        if (history.isEmpty()) {
            // A store may answer an unknown id with an empty history; keep the promise load() keeps.
            throw new AggregateNotFoundException(typeName, aggregateId, null);
        }
        requireOwnStreams(history);
        List<Event> read = serializer.unmarshalAll(history);
        List<StoredEvent> events = new ArrayList<>(history.size());
        for (int i = 0; i < read.size(); i++) {
            Record record = history.get(i);
            events.add(new StoredEvent(read.get(i), record.metadata(), record.position()));
        }
        return events;
    }

    /**
     * Applies a command: loads the aggregate (or starts a new one when it has no events), lets it handle the
     * command, and appends the events produced. On a concurrency conflict the whole cycle runs again, reloading
     * with {@link Store#loadLatest}: the first retry at once (the competitor has committed; inside a caller's
     * transaction the JDBC store now holds the append lock, so waiting would only hold up the other writers), each
     * later one after the pause of the {@link Builder#retry(Backoff) retry backoff}, until its limits (tries, time
     * budget) are reached. A conflict that no retry can resolve, because the reads come from a snapshot older than
     * the competitor's commit, is thrown at once as a {@link StaleReadConflictException}. A command with an
     * {@linkplain Command#commandId() id} already stored for the aggregate runs no handler and stores nothing; its
     * original version is returned.
     *
     * @param command the command
     * @return the aggregate's version after the append
     * @throws IllegalArgumentException when the command is null or its aggregate id is null or blank
     * @throws NoEventsProducedException when the handler produced no events
     * @throws InvalidEventException when a produced event is null, for another aggregate, or mis-versioned
     * @throws UnhandledCommandException when the aggregate has no handler for the command's class
     * @throws ConcurrencyConflictException when the conflicts outlast the retries
     * @throws AggregateNotFoundException when the id belongs to an aggregate of another type
     * @throws StaleReadConflictException when the caller's transaction cannot see the competitor's events
     * @throws UnknownEventTypeException when a stored event's type is not bound (load failures other than "no
     *     events yet" are never mistaken for a new aggregate)
     */
    public long apply(Command command) {
        return execute(command).version();
    }

    /**
     * Applies a command as {@link #apply(Command)} does and returns what a caller needs to answer without a second
     * load: the aggregate after the command (its new events applied), its version and the events produced. The
     * events are applied to the aggregate before they are appended, so an event the aggregate cannot apply is
     * never stored.
     *
     * <p>A command with an {@linkplain Command#commandId() id} that is already stored with this aggregate's events
     * handles nothing and stores nothing: the result is the original outcome, marked
     * {@linkplain CommandResult#duplicate() duplicate}. Two copies of such a command racing each other append
     * once: the second one's append conflicts, and its retry finds the id.
     *
     * @param command the command
     * @return the aggregate after the command, its version and the command's events
     * @throws IllegalArgumentException when the command is null or its aggregate id is null or blank
     * @throws NoEventsProducedException when the handler produced no events
     * @throws InvalidEventException when a produced event is null, for another aggregate, or mis-versioned
     * @throws UnhandledCommandException when the aggregate has no handler for the command's class
     * @throws ConcurrencyConflictException when the conflicts outlast the retries
     * @throws AggregateNotFoundException when the id belongs to an aggregate of another type
     */
    public CommandResult<A> execute(Command command) {
        if (command == null) {
            throw new IllegalArgumentException("Cannot apply a null command to " + type.getSimpleName());
        }
        Batches.requireAggregateId(command.aggregateId());
        RecordValidator.checkAggregateId(command.aggregateId());
        long started = System.nanoTime();
        RepositoryMetrics.Outcome outcome = RepositoryMetrics.Outcome.ERROR;
        CommandResult<A> result;
        try {
            @Nullable ConcurrencyConflictException retrying = null;
            for (int tries = 1; ; tries++) {
                try {
                    result = applyOnce(command, retrying);
                    outcome = result.duplicate() ? RepositoryMetrics.Outcome.DUPLICATE
                            : RepositoryMetrics.Outcome.SUCCESS;
                    break;
                } catch (ConcurrencyConflictException conflict) {
                    metrics.conflict(type);
                    Duration pause = retryPause(conflict, tries, started);
                    if (pause == null) {
                        outcome = RepositoryMetrics.Outcome.CONFLICT;
                        throw conflict;
                    }
                    metrics.retried(type);
                    sleep(pause, conflict);
                    retrying = conflict;
                } catch (NoEventsProducedException none) {
                    outcome = RepositoryMetrics.Outcome.NO_EVENTS;
                    throw none;
                }
            }
        } finally {
            metrics.applied(type, outcome, System.nanoTime() - started);
        }
        if (!result.duplicate()) {
            // Outside the retry loop: the events are stored, so nothing an observer throws may re-run the command.
            notifyObservers(result.events());
        }
        return result;
    }

    /**
     * Appends events that were produced outside {@link #apply(Command)}, as one batch; they must all belong to
     * one aggregate and continue its history. Saving events that are already stored, identical, is a no-op (a
     * retry after an ambiguous failure), and observers are not called again.
     *
     * @param events the events, in version order
     * @throws InvalidEventException when an event is null, the events name different aggregates, or their
     *     versions are not consecutive
     * @throws IllegalArgumentException when the first event's aggregate id is null or blank
     * @throws ConcurrencyConflictException when the first version does not continue the stored history
     */
    public void save(List<? extends Event> events) {
        if (events == null || events.isEmpty()) {
            return;
        }
        Event first = events.get(0);
        if (first == null) {
            throw new InvalidEventException("Cannot save a null event (index 0) to " + type.getSimpleName(), null,
                    null, 0);
        }
        Batches.requireAggregateId(first.aggregateId());
        if (store(first.aggregateId(), toRecords(first.aggregateId(), first.version() - 1, events, null))) {
            notifyObservers(events);
        }
    }

    /**
     * Appends events as one batch; see {@link #save(List)}.
     *
     * @throws ConcurrencyConflictException when the first version does not continue the stored history
     */
    public void save(Event... events) {
        save(Arrays.asList(events));
    }

    /** @param retrying the conflict that made this a retry, or null on the first try */
    private CommandResult<A> applyOnce(Command command, @Nullable ConcurrencyConflictException retrying) {
        String aggregateId = command.aggregateId();
        String commandId = command.commandId();
        if (retrying == null && !CommandHandler.class.isAssignableFrom(type)
                && AggregateModel.of(type).createsAggregate(command.getClass())) {
            try {
                CommandResult<A> created = createWithoutLoad(newAggregate(), command);
                if (created != null) {
                    return created;
                }
            } catch (ConcurrencyConflictException exists) {
                // The id has events: run the command the usual way, reading past the transaction's snapshot.
                retrying = exists;
            }
        }
        Loaded<A> current = loadCurrent(aggregateId, retrying != null);
        if (current == null) {
            current = new Loaded<>(newAggregate(), 0, History.empty(), 0, 0, false, 0);
        } else if (commandId != null) {
            CommandResult<A> original = findOutcome(current, aggregateId, commandId, retrying != null);
            if (original != null) {
                return original;
            }
        }
        if (retrying != null && current.version <= retrying.expectedVersion()
                && retrying.actualVersion() > retrying.expectedVersion()) {
            throw staleRead(retrying, current.version);
        }
        List<? extends Event> events = handle(current.aggregate, command);
        if (events == null || events.isEmpty()) {
            throw new NoEventsProducedException(aggregateId, command.getClass().getSimpleName());
        }
        List<Record> records = toRecords(aggregateId, current.version, events, commandId);
        // Applied before the append: an event the aggregate cannot apply would break every later load.
        for (Event event : events) {
            current.aggregate.on(event);
        }
        long version = current.version + events.size();
        if (!store(aggregateId, records)) {
            // The store found these exact events already stored: another command produced identical events first.
            // For a save() that is a harmless retry, but this command's events are not stored: a conflict.
            throw new ConcurrencyConflictException(aggregateId, current.version, version);
        }
        snapshotIfDue(aggregateId, current.replayed + events.size(), current.loadNanos);
        return new CommandResult<>(current.aggregate, version, List.copyOf(events), false);
    }

    /**
     * Runs a command declared {@code @CommandHandler(creates = true)} on an empty aggregate and appends its events
     * as versions 1, 2, ... without loading first.
     *
     * @return the result, or null when the handler failed or produced nothing on the empty aggregate: the caller
     *     then runs the command the usual way, so that the outcome is the one an existing aggregate gives
     * @throws ConcurrencyConflictException when the id already has events (or identical ones)
     */
    private @Nullable CommandResult<A> createWithoutLoad(A aggregate, Command command) {
        List<? extends Event> events;
        List<Record> records;
        try {
            events = handle(aggregate, command);
            if (events == null || events.isEmpty()) {
                return null;
            }
            records = toRecords(command.aggregateId(), 0, events, command.commandId());
            for (Event event : events) {
                aggregate.on(event);
            }
        } catch (RuntimeException handlerFailure) {
            return null;
        }
        long version = events.size();
        if (!store(command.aggregateId(), records)) {
            throw new ConcurrencyConflictException(command.aggregateId(), 0, version);
        }
        return new CommandResult<>(aggregate, version, List.copyOf(events), false);
    }

    /**
     * Finds the outcome of a command with this id stored before. A load from a snapshot holds only the events after
     * it, so the store is asked about the older ones, and the whole history is read only when the id is found.
     *
     * @return the original outcome, or null when no stored event carries the id
     */
    private @Nullable CommandResult<A> findOutcome(Loaded<A> current, String aggregateId, String commandId,
                                                   boolean latest) {
        if (!current.fromSnapshot) {
            return findOutcome(current.history, commandId);
        }
        boolean found = false;
        for (Record record : current.history) {
            found |= commandId.equals(record.commandId());
        }
        if (!found && !store.hasCommand(aggregateId, commandId, current.snapshotVersion)) {
            return null;
        }
        return findOutcome(latest ? store.loadLatest(aggregateId, 0, 0) : store.load(aggregateId, 0, 0), commandId);
    }

    /**
     * Finds the events a command with this id appended before, and rebuilds the outcome it had: the aggregate
     * right after those events. Runs only when the id is found, on the history already loaded.
     *
     * @return the original outcome, or null when no stored event carries the id
     */
    private @Nullable CommandResult<A> findOutcome(History history, String commandId) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < history.size(); i++) {
            if (commandId.equals(history.get(i).commandId())) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            } else if (first >= 0) {
                break;
            }
        }
        if (first < 0) {
            return null;
        }
        A aggregate = newAggregate();
        List<Event> events = new ArrayList<>(last - first + 1);
        for (int i = 0; i <= last; i++) {
            Event event = serializer.unmarshal(history.get(i));
            aggregate.on(event);
            if (i >= first) {
                events.add(event);
            }
        }
        return new CommandResult<>(aggregate, history.get(last).version(), events, true);
    }

    /** @return the pause before the next try, or null when the conflict is to be thrown */
    private @Nullable Duration retryPause(ConcurrencyConflictException conflict, int tries, long startedNanos) {
        if (conflict instanceof StaleReadConflictException) {
            if (staleReadReported.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "Repository of " + type.getSimpleName() + ": "
                        + conflict.getMessage() + " (logged once per repository)");
            }
            return null;
        }
        return retry.nextPausing(tries, Duration.ofNanos(System.nanoTime() - startedNanos), tries - 1);
    }

    private StaleReadConflictException staleRead(ConcurrencyConflictException conflict, long reloaded) {
        return new StaleReadConflictException(conflict.aggregateId(), reloaded, conflict.actualVersion(),
                "the reload after the conflict read version " + reloaded + " again, so this store's reads come from a"
                + " snapshot that will not change before the transaction ends (isolation REPEATABLE READ or"
                + " SERIALIZABLE); roll the transaction back and run it again, or run it at READ COMMITTED",
                conflict);
    }

    private static void sleep(Duration pause, ConcurrencyConflictException conflict) {
        if (pause.isZero()) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conflict.addSuppressed(e);
            throw conflict;
        }
    }

    private List<? extends Event> handle(A aggregate, Command command) {
        if (aggregate instanceof CommandHandler handler) {
            return handler.apply(command);
        }
        return AggregateModel.of(aggregate.getClass()).handleCommand(aggregate, command);
    }

    /**
     * Checks and serializes events that continue an aggregate's history, into records of this repository's stream
     * type carrying the metadata and the command id.
     */
    private List<Record> toRecords(String aggregateId, long currentVersion, List<? extends Event> events,
                                   @Nullable String commandId) {
        Map<String, String> meta = metadata.get();
        List<Record> records = new ArrayList<>(events.size());
        Batches.requireOneStream(Batches.EVENTS, aggregateId, events, currentVersion + 1,
                ", continuing the aggregate's version " + currentVersion
                        + "; use AggregateRoot.nextVersion() to number new events",
                (message, event) -> new InvalidEventException(message, aggregateId,
                        event == null ? null : event.type(), event == null ? 0 : event.version()),
                (event, index) -> {
                    if (event.at() == null) {
                        throw new InvalidEventException("Event " + event.type() + " version " + event.version()
                                + " of aggregate '" + aggregateId + "' has no time (at() is null); nothing was stored",
                                aggregateId, event.type(), event.version());
                    }
                });
        for (Event event : events) {
            Record record = serializer.marshal(event);
            records.add(new Record(typeName, record.aggregateId(), record.version(), record.type(), record.revision(),
                    record.at(),
                    record.data(), meta.isEmpty() ? record.metadata() : meta, commandId, 0));
        }
        RecordValidator.check(aggregateId, records, serializer.format());
        return records;
    }

    /** Returns whether the records were appended, false when identical records were already stored. */
    private boolean store(String aggregateId, List<Record> records) {
        long started = System.nanoTime();
        boolean appended = store.save(aggregateId, records);
        metrics.saved(type, records.size(), System.nanoTime() - started);
        return appended;
    }

    /**
     * Checks that every record read belongs to this repository's stream type, before any is replayed. A record stored before streams had
     * types (no aggregate type) belongs to it when this aggregate handles the record's event type (or when its
     * event types are unknown: an aggregate that implements {@code on} itself and binds no events).
     *
     * @throws AggregateNotFoundException when the record belongs to a stream of another aggregate type
     */
    private void requireOwnStreams(List<Record> records) {
        for (Record record : records) {
            requireOwnStream(record);
        }
    }

    private void requireOwnStream(Record record) {
        String stored = record.aggregateType();
        if (stored == null ? !eventTypeNames.isEmpty() && !eventTypeNames.contains(serializer.currentType(record))
                : !stored.equals(typeName)) {
            throw new AggregateNotFoundException(typeName, record.aggregateId(),
                    stored == null ? "(untyped stream with event " + record.type() + ")" : stored);
        }
    }

    private void notifyObservers(List<? extends Event> events) {
        for (Event event : events) {
            for (Observer observer : observers) {
                observer.observe(event);
            }
        }
    }

    /**
     * Replays the aggregate's history; returns null only when the store reports that this aggregate has no
     * events. A not-found raised anywhere else (an event handler looking up another aggregate, a store confusing
     * ids) is a failure and propagates, so it can never turn an existing aggregate into a fresh one.
     */
    private @Nullable Loaded<A> loadCurrent(String aggregateId) {
        return loadCurrent(aggregateId, false);
    }

    /** @param latest whether to read past a transaction's snapshot ({@link Store#loadLatest}), as a retry must */
    private @Nullable Loaded<A> loadCurrent(String aggregateId, boolean latest) {
        long started = System.nanoTime();
        int replayed = 0;
        try {
            History history = null;
            if (snapshots != null) {
                SnapshotAndHistory both = store.loadWithSnapshot(snapshots.store(), snapshots.typeName(), aggregateId,
                        latest);
                Loaded<A> fromSnapshot;
                if (both == null) {
                    fromSnapshot = loadFromSnapshot(aggregateId, latest, started);
                } else if (both.snapshot() == null) {
                    snapshots.miss();
                    fromSnapshot = null;
                    history = both.history();
                } else {
                    A aggregate = newAggregate();
                    fromSnapshot = snapshots.restore(both.snapshot(), aggregate)
                            ? fromSnapshot(aggregate, both.snapshot(), both.history(), started) : null;
                }
                if (fromSnapshot != null) {
                    replayed = fromSnapshot.replayed;
                    return fromSnapshot;
                }
            }
            if (history == null) {
                try {
                    history = latest ? store.loadLatest(aggregateId, 0, 0) : store.load(aggregateId, 0, 0);
                } catch (AggregateNotFoundException notFound) {
                    if (!aggregateId.equals(notFound.aggregateId())) {
                        throw notFound;
                    }
                    return null;
                }
            }
            if (history.isEmpty()) {
                return null;
            }
            A aggregate = newAggregate();
            requireOwnStreams(history);
            for (Event event : serializer.unmarshalAll(history)) {
                aggregate.on(event);
                replayed++;
            }
            return new Loaded<>(aggregate, history.version(), history, replayed, System.nanoTime() - started, false,
                    0);
        } finally {
            metrics.loaded(type, replayed, System.nanoTime() - started);
        }
    }

    /**
     * Loads the aggregate from its snapshot and the events after it: the events are read from the snapshot's own
     * version, so that one query both checks that the snapshot matches the stored history and gives the rest.
     *
     * @return the aggregate, or null when there is no usable snapshot (the caller replays every event)
     */
    private @Nullable Loaded<A> loadFromSnapshot(String aggregateId, boolean latest, long started) {
        SnapshotSupport support = Objects.requireNonNull(snapshots);
        A aggregate = newAggregate();
        Snapshot snapshot = support.restore(aggregateId, aggregate);
        if (snapshot == null) {
            return null;
        }
        History history;
        try {
            history = latest ? store.loadLatest(aggregateId, snapshot.version(), 0)
                    : store.load(aggregateId, snapshot.version(), 0);
        } catch (AggregateNotFoundException notFound) {
            if (!aggregateId.equals(notFound.aggregateId())) {
                throw notFound;
            }
            support.stale(snapshot, "the aggregate has no events");
            return null;
        }
        if (history.isEmpty() || history.get(0).version() != snapshot.version()) {
            support.stale(snapshot, "the aggregate's events do not reach its version");
            return null;
        }
        return fromSnapshot(aggregate, snapshot, history, started);
    }

    /** Applies the events after a snapshot read into the aggregate; {@code history} starts at its version. */
    private Loaded<A> fromSnapshot(A aggregate, Snapshot snapshot, History history, long started) {
        int replayed = 0;
        requireOwnStreams(history);
        for (Event event : serializer.unmarshalAll(history.subList(1, history.size()))) {
            aggregate.on(event);
            replayed++;
        }
        Objects.requireNonNull(snapshots).hit();
        return new Loaded<>(aggregate, history.version(), history, replayed, System.nanoTime() - started, true,
                snapshot.version());
    }

    /** Takes a snapshot off the caller's thread when the policy says one is due. */
    private void snapshotIfDue(String aggregateId, long events, long loadNanos) {
        if (snapshots == null) {
            return;
        }
        snapshots.takeIfDue(aggregateId, events, loadNanos, () -> {
            Loaded<A> committed = loadCurrent(aggregateId, false);
            return committed == null ? new SnapshotSupport.Current(null, 0, true)
                    : new SnapshotSupport.Current(committed.aggregate, committed.version,
                            committed.fromSnapshot && committed.replayed == 0);
        });
    }

    /**
     * An aggregate as loaded.
     *
     * @param history the records read: all of them, or from the snapshot's version on
     * @param replayed how many events were applied (after the snapshot, when there is one)
     * @param fromSnapshot whether the load started from a snapshot
     * @param snapshotVersion the snapshot's version, 0 without one
     */
    private record Loaded<A>(A aggregate, long version, History history, int replayed, long loadNanos,
                             boolean fromSnapshot, long snapshotVersion) {
    }

    /**
     * Configures a {@link Repository}; the seed's options {@code WithStore}, {@code WithSerializer},
     * {@code WithEvents} and {@code WithObservers}, plus retries, metadata and metrics.
     *
     * @param <A> the aggregate type
     */
    public static final class Builder<A extends Aggregate> {

        /** Retries of a command after a concurrency conflict, unless configured otherwise. */
        public static final int DEFAULT_MAX_RETRIES = 100;

        /** The pause before the second retry after a conflict (the first follows at once), unless configured. */
        public static final Duration DEFAULT_RETRY_FIRST_BACKOFF = Duration.ofMillis(5);

        /** The longest pause between retries after a conflict, unless configured. */
        public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(1);

        /** The jitter of the pauses between retries (1: anything from zero to the pause), unless configured. */
        public static final double DEFAULT_RETRY_JITTER = 1.0;

        /**
         * How a command is retried after concurrency conflicts unless configured: {@link #DEFAULT_MAX_RETRIES}
         * retries, pausing from {@link #DEFAULT_RETRY_FIRST_BACKOFF} up to {@link #DEFAULT_RETRY_MAX_BACKOFF}, with
         * full jitter, and no time budget.
         */
        public static final Backoff DEFAULT_RETRY = Backoff.exponential(DEFAULT_RETRY_FIRST_BACKOFF,
                DEFAULT_RETRY_MAX_BACKOFF).withJitter(DEFAULT_RETRY_JITTER).withMaxAttempts(DEFAULT_MAX_RETRIES + 1);

        private final Class<A> type;
        private final Supplier<A> factory;
        private @Nullable Store store;
        private @Nullable Serializer serializer;
        private @Nullable SnapshotStore snapshotStore;
        private @Nullable SnapshotPolicy snapshotPolicy;
        private @Nullable Executor snapshotExecutor;
        private final List<Class<?>> events = new ArrayList<>();
        private final List<Observer> observers = new ArrayList<>();
        private Backoff retry = DEFAULT_RETRY;
        private Supplier<Map<String, String>> metadata = Map::of;
        private RepositoryMetrics metrics = RepositoryMetrics.NONE;

        private Builder(Class<A> type, Supplier<A> factory) {
            this.type = type;
            this.factory = factory;
        }

        /** @return this builder, appending to the given store (default: a new in-memory store) */
        public Builder<A> store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** @return this builder, serializing with the given serializer (default: Jackson JSON) */
        public Builder<A> serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /** @return this builder, binding these event classes besides those of the aggregate's handlers */
        public Builder<A> events(Class<?>... eventTypes) {
            for (Class<?> eventType : eventTypes) {
                events.add(Objects.requireNonNull(eventType, "event type"));
            }
            return this;
        }

        /** @return this builder, notifying these observers of each appended event */
        public Builder<A> observers(Observer... observers) {
            for (Observer observer : observers) {
                this.observers.add(Objects.requireNonNull(observer, "observer"));
            }
            return this;
        }

        /**
         * Sets how often a command is re-run after a concurrency conflict before the conflict is thrown; short for
         * {@code retry(retry.withMaxAttempts(maxRetries + 1))}, keeping the pauses and time budget.
         *
         * @param maxRetries 0 or more
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder<A> maxRetries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
            }
            this.retry = retry.withMaxAttempts(maxRetries == Integer.MAX_VALUE ? maxRetries : maxRetries + 1);
            return this;
        }

        /**
         * Sets how a command is retried after a concurrency conflict: the first retry follows at once, retry
         * {@code n > 1} after the backoff's pause for retry {@code n - 1}, until the backoff's number of tries
         * (the first one included) or its time budget (from the start of the first try) is used up. Default
         * {@link #DEFAULT_RETRY}.
         *
         * @param retry the backoff and its limits; without any limit, conflicts are retried for as long as they
         *     occur
         * @return this builder
         */
        public Builder<A> retry(Backoff retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * Sets where the metadata stored with each appended event comes from, for example the current user.
         *
         * @param metadata called once per append; returns the metadata, never null
         * @return this builder
         */
        public Builder<A> metadata(Supplier<Map<String, String>> metadata) {
            Objects.requireNonNull(metadata, "metadata");
            this.metadata = () -> {
                Map<String, String> values = metadata.get();
                return values == null ? Map.of() : values;
            };
            return this;
        }

        /**
         * Turns snapshots on, with the policy the aggregate class declares ({@code @Snapshotting}) or the defaults
         * (every {@value dev.eventsource.annotation.Snapshotting#DEFAULT_EVERY} events). The serializer must also
         * be a {@link StateSerializer} (the Jackson serializer is).
         *
         * @param store where snapshots are kept
         * @return this builder
         */
        public Builder<A> snapshots(SnapshotStore store) {
            this.snapshotStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Turns snapshots on with the given policy, in place of the one the class declares.
         *
         * @param store where snapshots are kept
         * @param policy when to take them and which revision to accept
         * @return this builder
         */
        public Builder<A> snapshots(SnapshotStore store, SnapshotPolicy policy) {
            this.snapshotStore = Objects.requireNonNull(store, "store");
            this.snapshotPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets where snapshots are taken; by default one daemon thread per repository with a queue of
         * {@value SnapshotSupport#DEFAULT_QUEUE}. A snapshot the executor refuses is skipped and counted, never
         * waited for.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder<A> snapshotExecutor(Executor executor) {
            this.snapshotExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** @return this builder, reporting to the given metrics (default: none) */
        public Builder<A> metrics(RepositoryMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Builds the repository and binds the event types to the serializer.
         *
         * @return the repository
         * @throws DuplicateEventTypeException when two bound classes share a type name
         */
        public Repository<A> build() {
            if (store == null) {
                store = new MemoryStore();
            }
            if (serializer == null) {
                serializer = JacksonSerializer.json();
            }
            if (snapshotStore != null && !(serializer instanceof StateSerializer)) {
                throw new IllegalArgumentException("Snapshots of " + type.getName() + " need a serializer that also "
                        + "serializes aggregate state (a StateSerializer, as JacksonSerializer is); "
                        + serializer.getClass().getName() + " is not one");
            }
            serializer.bind(AggregateModel.of(type).eventTypes().toArray(new Class<?>[0]));
            serializer.bind(events.toArray(new Class<?>[0]));
            return new Repository<>(this);
        }

        /** @return the type names of the events this aggregate handles or was given, empty when unknown */
        private Set<String> eventTypeNames() {
            Set<String> names = new HashSet<>();
            for (Class<?> eventType : AggregateModel.of(type).eventTypes()) {
                names.add(Event.typeName(eventType));
            }
            for (Class<?> eventType : events) {
                names.add(Event.typeName(eventType));
            }
            return Set.copyOf(names);
        }
    }
}
