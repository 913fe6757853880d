package dev.eventsource.test;

import dev.eventsource.Aggregate;
import dev.eventsource.Command;
import dev.eventsource.CommandHandler;
import dev.eventsource.CommandModel;
import dev.eventsource.Event;
import dev.eventsource.InvalidEventException;
import dev.eventsource.test.Person.ChangeName;
import dev.eventsource.test.Person.ChangeNames;
import dev.eventsource.test.Person.CreatePerson;
import dev.eventsource.test.Person.MisnumberedChange;
import dev.eventsource.test.Person.NameChanged;
import dev.eventsource.test.Person.PersonCreated;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AggregateFixtureTests {

    private static final String ID = "person-1";
    private static final Instant PAST = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00.123456Z");

    @Nested
    @DisplayName("passes when")
    class Passing {

        @Test
        @DisplayName("a command on a new aggregate produces the expected event, whatever its time")
        void newAggregate() {
            AggregateFixture.of(Person.class)
                    .when(new CreatePerson(ID, "Ada"))
                    .then(new PersonCreated(ID, 1, PAST, "Ada"))
                    .thenState(person -> assertThat(person.name()).isEqualTo("Ada"));
        }

        @Test
        @DisplayName("the given history is replayed before the command, and the state shows the new event applied")
        void givenHistory() {
            AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"), new NameChanged(ID, 2, PAST, "Ada L."))
                    .when(new ChangeName(ID, "Ada Lovelace"))
                    .then(new NameChanged(ID, 3, PAST, "Ada Lovelace"))
                    .thenState(person -> {
                        assertThat(person.name()).isEqualTo("Ada Lovelace");
                        assertThat(person.formerNames()).containsExactly("Ada", "Ada L.");
                        assertThat(person.version()).isEqualTo(3);
                    });
        }

        @Test
        @DisplayName("a command produces several events, given as a list")
        void severalEvents() {
            AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeNames(ID, List.of("B", "C")))
                    .then(List.of(new NameChanged(ID, 2, PAST, "B"), new NameChanged(ID, 3, PAST, "C")));
        }

        @Test
        @DisplayName("the command is refused with the expected exception type and message part")
        void expectedError() {
            AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, " "))
                    .thenError(IllegalArgumentException.class, "must not be blank")
                    .thenError(RuntimeException.class)
                    .thenState(person -> assertThat(person.name()).as("refused command changes nothing")
                            .isEqualTo("Ada"));
        }

        @Test
        @DisplayName("the command is accepted but produces no events")
        void noEvents() {
            AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, "Ada"))
                    .thenNoEvents()
                    .then();
        }

        @Test
        @DisplayName("times are compared on request, with a factory giving the aggregate a fixed clock")
        void comparingTimeWithFixedClock() {
            AggregateFixture.of(Person.class, () -> new Person(Clock.fixed(NOW, ZoneOffset.UTC)))
                    .comparingTime()
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, "Grace"))
                    .then(new NameChanged(ID, 2, NOW, "Grace"));
        }

        @Test
        @DisplayName("the repository's own checks apply: a handler's misnumbered event is an InvalidEventException")
        void realRepositoryChecks() {
            AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new MisnumberedChange(ID))
                    .thenError(InvalidEventException.class, "has version 8, expected 2");
        }

        @Test
        @DisplayName("an aggregate that writes on(event) by hand works, its event types bound from given and then")
        void handWrittenAggregate() {
            AggregateFixture.of(Counter.class, Counter::new)
                    .given(new Incremented("c-1", 1, PAST, 5))
                    .when(new CommandModel("c-1"))
                    .then(new Incremented("c-1", 2, PAST, 6))
                    .thenState(counter -> assertThat(counter.total).isEqualTo(11));
        }

        @Test
        @DisplayName("a value inside a record event whose class overrides equals is compared with its equals")
        void nestedValueComparedWithItsEquals() {
            AggregateFixture.of(PriceList.class, PriceList::new)
                    .when(new CommandModel("p-1"))
                    .then(new Priced("p-1", 1, PAST, List.of("a", "c"), new Amount(new BigDecimal("1.00"))));
        }

        @Test
        @DisplayName("the produced events and the error are available for further checks")
        void accessors() {
            AggregateFixture<Person>.Outcome outcome = AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, "Grace"));

            assertThat(outcome.events()).singleElement().isInstanceOfSatisfying(NameChanged.class,
                    event -> assertThat(event.at()).isAfter(PAST));
            assertThat(outcome.error()).isNull();
            assertThat(outcome.state().name()).isEqualTo("Grace");
        }
    }

    @Nested
    @DisplayName("fails, showing the difference, when")
    class Failing {

        @Test
        @DisplayName("a field differs: names event, field and both values, and lists both sides")
        void fieldDiffers() {
            AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class, () ->
                    AggregateFixture.of(Person.class)
                            .given(new PersonCreated(ID, 1, PAST, "Ada"))
                            .when(new ChangeName(ID, "Grace"))
                            .then(new NameChanged(ID, 2, PAST, "Ada")));

            assertThat(error).isNotNull();
            assertThat(error.getMessage())
                    .contains("Events produced by ChangeName on Person 'person-1' differ from the expected ones")
                    .contains("ignoring 'at'")
                    .contains("First difference: event 1 (NameChanged), field 'name': expected \"Ada\" but was \"Grace\"")
                    .contains("Expected:\n  1. NameChanged[aggregateId=person-1, version=2, at=2020-01-01T00:00:00Z, name=Ada]")
                    .containsPattern("Actual:\n  1\\. NameChanged\\[aggregateId=person-1, version=2, at=.*, name=Grace]");
            assertThat(error.getExpected().getStringRepresentation()).contains("name=Ada]");
            assertThat(error.getActual().getStringRepresentation()).contains("name=Grace]");
        }

        @Test
        @DisplayName("a value inside a field differs: names the path to it and both values")
        void nestedValueDiffers() {
            assertThatThrownBy(() -> AggregateFixture.of(PriceList.class, PriceList::new)
                    .when(new CommandModel("p-1"))
                    .then(new Priced("p-1", 1, PAST, List.of("a", "b"), new Amount(BigDecimal.ONE))))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("First difference: event 1 (Priced), field 'tags[1]': expected \"b\" "
                            + "but was \"c\"");
        }

        @Test
        @DisplayName("a version differs")
        void versionDiffers() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, "Grace"))
                    .then(new NameChanged(ID, 3, PAST, "Grace")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("event 1 (NameChanged), field 'version': expected 3 but was 2");
        }

        @Test
        @DisplayName("the time differs and comparingTime() was asked for")
        void timeDiffersWhenCompared() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class, () -> new Person(Clock.fixed(NOW, ZoneOffset.UTC)))
                    .comparingTime()
                    .when(new CreatePerson(ID, "Ada"))
                    .then(new PersonCreated(ID, 1, PAST, "Ada")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("field 'at': expected 2020-01-01T00:00:00Z but was 2024-06-01T12:00:00.123456Z")
                    .hasMessageNotContaining("ignoring 'at'");
        }

        @Test
        @DisplayName("fewer events are produced than expected")
        void fewerEvents() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeNames(ID, List.of("B")))
                    .then(new NameChanged(ID, 2, PAST, "B"), new NameChanged(ID, 3, PAST, "C")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("event 2: expected NameChanged[aggregateId=person-1, version=3, "
                            + "at=2020-01-01T00:00:00Z, name=C], but only 1 event was produced");
        }

        @Test
        @DisplayName("more events are produced than expected")
        void moreEvents() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeNames(ID, List.of("B", "C")))
                    .then(new NameChanged(ID, 2, PAST, "B")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("event 2: unexpected NameChanged[aggregateId=person-1, version=3")
                    .hasMessageContaining("only 1 event was expected");
        }

        @Test
        @DisplayName("an event of another type is produced")
        void otherEventType() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .when(new CreatePerson(ID, "Ada"))
                    .then(new NameChanged(ID, 1, PAST, "Ada")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("event 1: expected a NameChanged but was a PersonCreated");
        }

        @Test
        @DisplayName("events were expected but the command threw: shows the exception's type and message")
        void unexpectedException() {
            AssertionError error = catchThrowableOfType(AssertionError.class, () -> AggregateFixture.of(Person.class)
                    .when(new ChangeName(ID, "Grace"))
                    .then(new NameChanged(ID, 1, PAST, "Grace")));

            assertThat(error).hasMessageContaining("Expected ChangeName on Person 'person-1' to produce:\n"
                            + "  1. NameChanged[aggregateId=person-1")
                    .hasMessageContaining("but it threw java.lang.IllegalStateException: "
                            + "Person person-1 does not exist; create it first")
                    .hasCauseInstanceOf(IllegalStateException.class);
        }

        @Test
        @DisplayName("events were expected but none were produced")
        void noEventsWhenEventsExpected() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, "Ada"))
                    .then(new NameChanged(ID, 2, PAST, "Ada")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("but it threw dev.eventsource.NoEventsProducedException: "
                            + "Command ChangeName on aggregate 'person-1' produced no events");
        }

        @Test
        @DisplayName("an error was expected but the command succeeded: shows the events it produced")
        void errorExpectedButSucceeded() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .when(new CreatePerson(ID, "Ada"))
                    .thenError(IllegalStateException.class, "already exists"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expected CreatePerson on Person 'person-1' to fail with "
                            + "java.lang.IllegalStateException with a message containing \"already exists\", "
                            + "but it succeeded and produced:\n  1. PersonCreated[aggregateId=person-1, version=1");
        }

        @Test
        @DisplayName("the command threw another exception type")
        void otherErrorType() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, ""))
                    .thenError(IllegalStateException.class))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to fail with java.lang.IllegalStateException, but it threw "
                            + "java.lang.IllegalArgumentException: A person's name must not be blank")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("the error's message lacks the expected text: shows the actual message")
        void otherErrorMessage() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new CreatePerson(ID, "Ada"))
                    .thenError(IllegalStateException.class, "duplicate"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("with a message containing \"duplicate\", but the message was: "
                            + "\"Person person-1 already exists\"");
        }

        @Test
        @DisplayName("no events were expected but the command produced some")
        void noEventsExpectedButProduced() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"))
                    .when(new ChangeName(ID, "Grace"))
                    .thenNoEvents())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expected ChangeName on Person 'person-1' to produce no events, "
                            + "but it produced:\n  1. NameChanged[aggregateId=person-1, version=2");
        }

        @Test
        @DisplayName("the given events cannot be stored: says so, naming the aggregate and the problem")
        void badGivenHistory() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .given(new PersonCreated(ID, 1, PAST, "Ada"), new NameChanged(ID, 3, PAST, "Grace"))
                    .when(new ChangeName(ID, "Hopper"))
                    .then(new NameChanged(ID, 4, PAST, "Hopper")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("The given events of Person 'person-1' could not be stored and replayed: "
                            + "dev.eventsource.InvalidEventException")
                    .hasMessageContaining("has version 3, expected 2");
        }

        @Test
        @DisplayName("a state assertion fails")
        void stateAssertionFails() {
            assertThatThrownBy(() -> AggregateFixture.of(Person.class)
                    .when(new CreatePerson(ID, "Ada"))
                    .thenState(person -> assertThat(person.name()).isEqualTo("Grace")))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("\"Grace\"")
                    .hasMessageContaining("\"Ada\"");
        }
    }

    record Incremented(String aggregateId, long version, Instant at, int by) implements Event {
    }

    record Priced(String aggregateId, long version, Instant at, List<String> tags, Amount amount) implements Event {
    }

    /** A value whose equals ignores the scale of the number, as money types often do. */
    record Amount(BigDecimal value) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Amount amount && amount.value.compareTo(this.value) == 0;
        }

        @Override
        public int hashCode() {
            return this.value.stripTrailingZeros().hashCode();
        }
    }

    /** Prices anything at 1.0 with the tags a and c. */
    static final class PriceList implements Aggregate, CommandHandler {
        private long version;

        @Override
        public void on(Event event) {
            version = event.version();
        }

        @Override
        public List<? extends Event> apply(Command command) {
            return List.of(new Priced(command.aggregateId(), version + 1, Instant.now(), List.of("a", "c"),
                    new Amount(new BigDecimal("1.0"))));
        }
    }

    /** An aggregate written without annotations: it implements on(event) and CommandHandler itself. */
    static final class Counter implements Aggregate, CommandHandler {
        private int total;
        private long version;

        @Override
        public void on(Event event) {
            Incremented incremented = (Incremented) event;
            total += incremented.by();
            version = incremented.version();
        }

        @Override
        public List<? extends Event> apply(Command command) {
            return List.of(new Incremented(command.aggregateId(), version + 1, Instant.now(), total + 1));
        }
    }
}
