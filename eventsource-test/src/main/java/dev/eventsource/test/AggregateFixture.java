package dev.eventsource.test;

import dev.eventsource.Aggregate;
import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.NoEventsProducedException;
import dev.eventsource.Repository;
import dev.eventsource.store.memory.MemoryStore;
import org.assertj.core.api.recursive.comparison.ComparisonDifference;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.jspecify.annotations.Nullable;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonDifferenceCalculator;
import org.opentest4j.AssertionFailedError;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Given/when/then tests of an aggregate's command handling, run through a real {@link Repository} on a
 * {@link MemoryStore}, so the command meets exactly the dispatch, serialization and checks an application uses:
 *
 * <pre>{@code
 * AggregateFixture.of(Person.class)
 *         .given(new PersonCreated(id, 1, at, "Ada"))
 *         .when(new ChangeName(id, "Grace"))
 *         .then(new NameChanged(id, 2, at, "Grace"))
 *         .thenState(person -> assertThat(person.name()).isEqualTo("Grace"));
 * }</pre>
 *
 * <p>The given events are saved through the repository and replayed; the command is applied with
 * {@link Repository#apply(Command)}; the events it produced are collected by an observer. Events that are Java
 * records are compared field by field with AssertJ's recursive comparison, ignoring {@code at} (handlers usually
 * stamp {@code Instant.now()}) unless {@link #comparingTime()} is called; values whose class overrides
 * {@code equals} are compared with it; other event classes are compared with {@code equals}. A failure names the
 * first differing event and field (with its path inside the field, such as {@code lines[1].quantity}), with both
 * values, and lists the expected and the actual events.
 *
 * <p>A fixture is meant for one scenario: configure it, call {@code when} once, then assert.
 *
 * @param <A> the aggregate type
 */
public final class AggregateFixture<A extends Aggregate> {

    private static final String TIME_COMPONENT = "at";
    /**
     * Record events are compared field by field, recursively, with AssertJ; a value whose class overrides
     * {@code equals} (a nested record, a money type) is compared with it, as {@code Objects.equals} would.
     */
    private static final RecursiveComparisonConfiguration WITH_TIME = RecursiveComparisonConfiguration.builder()
            .withIgnoreAllOverriddenEquals(false)
            .build();
    private static final RecursiveComparisonConfiguration WITHOUT_TIME = RecursiveComparisonConfiguration.builder()
            .withIgnoreAllOverriddenEquals(false)
            .withIgnoredFields(TIME_COMPONENT)
            .build();

    private final Class<A> type;
    private final @Nullable Supplier<A> factory;
    private final List<Event> given = new ArrayList<>();
    private final Set<Class<?>> eventTypes = new LinkedHashSet<>();
    private boolean compareTime;

    private AggregateFixture(Class<A> type, @Nullable Supplier<A> factory) {
        this.type = Objects.requireNonNull(type, "aggregate type");
        this.factory = factory;
    }

    /**
     * Starts a fixture for an aggregate class with a no-argument constructor.
     *
     * @param type the aggregate class
     * @param <A> the aggregate type
     * @return a fixture with no history
     * @throws dev.eventsource.InvalidHandlerException when the class has malformed handlers or no no-argument
     *     constructor
     */
    public static <A extends Aggregate> AggregateFixture<A> of(Class<A> type) {
        Repository.builder(type);
        return new AggregateFixture<>(type, null);
    }

    /**
     * Starts a fixture whose empty aggregates come from a factory.
     *
     * @param type the aggregate class
     * @param factory creates a new, empty aggregate on each call
     * @param <A> the aggregate type
     * @return a fixture with no history
     * @throws dev.eventsource.InvalidHandlerException when the class has malformed handlers
     */
    public static <A extends Aggregate> AggregateFixture<A> of(Class<A> type, Supplier<A> factory) {
        Objects.requireNonNull(factory, "factory");
        Repository.builder(type, factory);
        return new AggregateFixture<>(type, factory);
    }

    /**
     * Compares the {@code at} component of record events too; by default it is ignored.
     *
     * @return this fixture
     */
    public AggregateFixture<A> comparingTime() {
        this.compareTime = true;
        return this;
    }

    /**
     * Binds event classes to the serializer besides those of the aggregate's {@code @EventHandler} methods and of
     * the given and expected events; needed only for events the command produces but no test expects.
     *
     * @param types event classes
     * @return this fixture
     */
    public AggregateFixture<A> events(Class<?>... types) {
        for (Class<?> eventType : types) {
            eventTypes.add(Objects.requireNonNull(eventType, "event type"));
        }
        return this;
    }

    /**
     * Adds events to the aggregate's past; they are stored and replayed before the command runs. May be called
     * more than once, or not at all for a new aggregate.
     *
     * @param events the events, in version order
     * @return this fixture
     * @throws IllegalArgumentException when an event is null
     */
    public AggregateFixture<A> given(Event... events) {
        return given(Arrays.asList(events));
    }

    /**
     * Adds events to the aggregate's past; see {@link #given(Event...)}.
     *
     * @param events the events, in version order
     * @return this fixture
     * @throws IllegalArgumentException when an event is null
     */
    public AggregateFixture<A> given(List<? extends Event> events) {
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (event == null) {
                throw new IllegalArgumentException("given(...) event at index " + i + " is null; pass the past events");
            }
            given.add(event);
            eventTypes.add(event.getClass());
        }
        return this;
    }

    /**
     * Names the command to apply; it runs at the first {@code then...} call.
     *
     * @param command the command (null is passed on, to test the repository's own check)
     * @return the stage to state the expected outcome
     */
    public Outcome when(@Nullable Command command) {
        return new Outcome(command);
    }

    /**
     * The expected outcome of the command: the events it produces, the error it raises, and the state it leaves.
     * Each method returns this stage, so state checks can follow event checks.
     */
    public final class Outcome {

        private final @Nullable Command command;
        private @Nullable Run<A> run;

        private Outcome(@Nullable Command command) {
            this.command = command;
        }

        /**
         * Asserts that the command produced exactly these events, in order. No events means
         * {@link #thenNoEvents()}.
         *
         * @param expected the expected events
         * @return this stage
         * @throws AssertionError showing the expected and the actual events and the first difference, or the
         *     exception the command threw
         */
        public Outcome then(Event... expected) {
            return then(Arrays.asList(expected));
        }

        /**
         * Asserts that the command produced exactly these events, in order; see {@link #then(Event...)}.
         *
         * @param expected the expected events
         * @return this stage
         * @throws AssertionError when the events differ or the command threw
         */
        public Outcome then(List<? extends Event> expected) {
            if (expected.isEmpty()) {
                return thenNoEvents();
            }
            for (Event event : expected) {
                if (event != null) {
                    eventTypes.add(event.getClass());
                }
            }
            Run<A> result = run();
            if (result.thrown != null) {
                throw new AssertionError("Expected " + commandName() + " to produce:\n" + list(expected)
                        + "but it threw " + describe(result.thrown), result.thrown);
            }
            String difference = firstDifference(expected, result.produced);
            if (difference != null) {
                throw new AssertionFailedError("Events produced by " + commandName() + " differ from the expected ones"
                        + (compareTime ? "" : " (ignoring '" + TIME_COMPONENT + "'; call comparingTime() to compare it)")
                        + ".\nFirst difference: " + difference
                        + "\nExpected:\n" + list(expected) + "Actual:\n" + list(result.produced),
                        list(expected), list(result.produced));
            }
            return this;
        }

        /**
         * Asserts that the command was refused with an exception of the given type (or a subtype).
         *
         * @param expectedType the expected exception type
         * @return this stage
         * @throws AssertionError when the command succeeded or threw something else
         */
        public Outcome thenError(Class<? extends Throwable> expectedType) {
            return thenError(expectedType, null);
        }

        /**
         * Asserts that the command was refused with an exception of the given type (or a subtype) whose message
         * contains the given text.
         *
         * @param expectedType the expected exception type
         * @param messagePart text the message must contain, or null to accept any message
         * @return this stage
         * @throws AssertionError when the command succeeded, threw another type, or the message lacks the text
         */
        public Outcome thenError(Class<? extends Throwable> expectedType, @Nullable String messagePart) {
            Objects.requireNonNull(expectedType, "expected exception type");
            Run<A> result = run();
            String expectation = "Expected " + commandName() + " to fail with " + expectedType.getName()
                    + (messagePart == null ? "" : " with a message containing \"" + messagePart + "\"");
            if (result.thrown == null) {
                throw new AssertionError(expectation + ", but it succeeded and produced:\n" + list(result.produced));
            }
            if (!expectedType.isInstance(result.thrown)) {
                throw new AssertionError(expectation + ", but it threw " + describe(result.thrown), result.thrown);
            }
            String message = result.thrown.getMessage();
            if (messagePart != null && (message == null || !message.contains(messagePart))) {
                throw new AssertionFailedError(expectation + ", but the message was: "
                        + (message == null ? "null" : "\"" + message + "\""), messagePart, message, result.thrown);
            }
            return this;
        }

        /**
         * Asserts that the command was accepted but produced no events (the repository's
         * {@link NoEventsProducedException}).
         *
         * @return this stage
         * @throws AssertionError when the command produced events or threw another exception
         */
        public Outcome thenNoEvents() {
            Run<A> result = run();
            if (result.thrown == null) {
                throw new AssertionError("Expected " + commandName() + " to produce no events, but it produced:\n"
                        + list(result.produced));
            }
            if (!(result.thrown instanceof NoEventsProducedException)) {
                throw new AssertionError("Expected " + commandName() + " to produce no events, but it threw "
                        + describe(result.thrown), result.thrown);
            }
            return this;
        }

        /**
         * Runs assertions on the aggregate as loaded after the command: with the produced events applied, or
         * with only the given ones when the command failed.
         *
         * @param assertions checks of the aggregate, for example AssertJ assertions
         * @return this stage
         */
        public Outcome thenState(Consumer<? super A> assertions) {
            assertions.accept(state());
            return this;
        }

        /** @return the events the command produced, empty when it threw */
        public List<Event> events() {
            return List.copyOf(run().produced);
        }

        /** @return the exception the command threw, or null when it succeeded */
        public @Nullable Throwable error() {
            return run().thrown;
        }

        /** @return the aggregate loaded after the command, or a new one when it has no events */
        public A state() {
            Run<A> result = run();
            String aggregateId = command == null ? null : command.aggregateId();
            if (aggregateId == null || aggregateId.isBlank()) {
                return result.repository.newAggregate();
            }
            try {
                return result.repository.load(aggregateId);
            } catch (AggregateNotFoundException none) {
                return result.repository.newAggregate();
            }
        }

        private Run<A> run() {
            if (run == null) {
                run = execute(command);
            }
            return run;
        }

        private String commandName() {
            if (command == null) {
                return "a null command";
            }
            return command.getClass().getSimpleName() + " on " + type.getSimpleName() + " '" + command.aggregateId()
                    + "'";
        }
    }

    private Run<A> execute(@Nullable Command command) {
        List<Event> produced = new ArrayList<>();
        Repository.Builder<A> builder = factory == null ? Repository.builder(type) : Repository.builder(type, factory);
        Repository<A> repository = builder
                .store(new MemoryStore())
                .events(eventTypes.toArray(new Class<?>[0]))
                .observers(produced::add)
                .build();
        storeGiven(repository);
        produced.clear();
        try {
            repository.apply(command);
            return new Run<>(repository, produced, null);
        } catch (RuntimeException thrown) {
            return new Run<>(repository, List.of(), thrown);
        }
    }

    private void storeGiven(Repository<A> repository) {
        Map<String, List<Event>> byAggregate = new LinkedHashMap<>();
        for (Event event : given) {
            byAggregate.computeIfAbsent(event.aggregateId(), id -> new ArrayList<>()).add(event);
        }
        for (Map.Entry<String, List<Event>> history : byAggregate.entrySet()) {
            try {
                repository.save(history.getValue());
                repository.load(history.getKey());
            } catch (RuntimeException e) {
                throw new AssertionError("The given events of " + type.getSimpleName() + " '" + history.getKey()
                        + "' could not be stored and replayed: " + describe(e) + "\nGiven:\n"
                        + list(history.getValue()), e);
            }
        }
    }

    private String firstDifference(List<? extends Event> expected, List<Event> actual) {
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String position = "event " + (i + 1);
            if (i >= actual.size()) {
                return position + ": expected " + expected.get(i) + ", but only " + actual.size()
                        + (actual.size() == 1 ? " event was" : " events were") + " produced";
            }
            if (i >= expected.size()) {
                return position + ": unexpected " + actual.get(i) + "; only " + expected.size()
                        + (expected.size() == 1 ? " event was" : " events were") + " expected";
            }
            String difference = difference(expected.get(i), actual.get(i));
            if (difference != null) {
                return position + difference;
            }
        }
        return null;
    }

    private String difference(Event expected, Event actual) {
        if (expected == null) {
            return ": expected null (a mistake in the test) but was " + actual;
        }
        if (expected.getClass() != actual.getClass()) {
            return ": expected a " + expected.getClass().getSimpleName() + " but was a "
                    + actual.getClass().getSimpleName() + " (" + actual + ")";
        }
        String name = " (" + expected.getClass().getSimpleName() + ")";
        if (!expected.getClass().isRecord()) {
            return expected.equals(actual) ? null
                    : name + ": not equal (not a record, so compared with equals()): expected " + expected
                    + " but was " + actual;
        }
        List<ComparisonDifference> differences = new RecursiveComparisonDifferenceCalculator()
                .determineDifferences(actual, expected, compareTime ? WITH_TIME : WITHOUT_TIME);
        return differences.stream()
                .min(Comparator.comparingInt((ComparisonDifference d) -> componentIndex(expected, d)))
                .map(first -> name + ", field '" + first.getConcatenatedPath() + "': expected "
                        + show(first.getExpected()) + " but was " + show(first.getActual()))
                .orElse(null);
    }

    /** @return where the field a difference starts from comes in the record, so the first component is named */
    private static int componentIndex(Event event, ComparisonDifference difference) {
        RecordComponent[] components = event.getClass().getRecordComponents();
        String field = difference.getDecomposedPath().isEmpty() ? "" : difference.getDecomposedPath().get(0);
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(field)) {
                return i;
            }
        }
        return components.length;
    }

    private static String show(Object value) {
        if (value instanceof CharSequence text) {
            return "\"" + text + "\"";
        }
        if (value instanceof Object[] array) {
            return Arrays.deepToString(array);
        }
        if (value != null && value.getClass().isArray()) {
            return Arrays.deepToString(new Object[] {value}).replaceFirst("^\\[(.*)]$", "$1");
        }
        return String.valueOf(value);
    }

    private static String list(List<? extends Event> events) {
        if (events.isEmpty()) {
            return "  (no events)\n";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            text.append("  ").append(i + 1).append(". ").append(events.get(i)).append('\n');
        }
        return text.toString();
    }

    private static String describe(Throwable thrown) {
        return thrown.getClass().getName() + ": " + thrown.getMessage();
    }

    private record Run<A extends Aggregate>(Repository<A> repository, List<Event> produced,
                                            @Nullable Throwable thrown) {
    }
}
