package dev.eventsource.serializer.jackson;

import dev.eventsource.DuplicateEventTypeException;
import dev.eventsource.Event;
import dev.eventsource.EventRevisionException;
import dev.eventsource.EventRevisionException.Reason;
import dev.eventsource.InvalidUpcasterException;
import dev.eventsource.Record;
import dev.eventsource.SerializationException;
import dev.eventsource.UnknownEventTypeException;
import dev.eventsource.annotation.EventType;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.cbor.CBORMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading events stored in older revisions of their shape, and under older names. */
class JacksonSerializerUpcastingTest {

    static final Instant AT = Instant.parse("2024-05-06T07:08:09Z");

    record Name(String first, String last) {
    }

    record Address(String street, String city) {
    }

    /** Revision 1 was stored as "PersonRegistered" with a flat address; revision 2 had a one-string name. */
    @EventType(value = "PersonCreated", revision = 3)
    record PersonCreated(String aggregateId, long version, Instant at, Name name, Address address, String country)
            implements Event {
    }

    @EventType(value = "EmailChanged", aliases = "MailChanged")
    record EmailChanged(String aggregateId, long version, Instant at, String email) implements Event {
    }

    record Noted(String aggregateId, long version, Instant at, String note) implements Event {
    }

    @EventType("Noted")
    record OtherNoted(String aggregateId, long version, Instant at) implements Event {
    }

    @EventType(aliases = "Noted")
    record ClaimsNoted(String aggregateId, long version, Instant at) implements Event {
    }

    static final Upcaster RENAMED_AND_NESTED = Upcaster.from("PersonRegistered", 1).renameType("PersonCreated")
            .moveField("street", "address.street").moveField("city", "address.city");
    static final Upcaster NAME_SPLIT = Upcaster.from("PersonCreated", 2)
            .convertField("name", name -> {
                String[] parts = name.asString().split(" ", 2);
                return Map.of("first", parts[0], "last", parts[1]);
            })
            .addField("country", "NL");

    static final String REVISION_1 = "{\"aggregateId\":\"p-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\","
            + "\"name\":\"Ann Lee\",\"street\":\"Main 1\",\"city\":\"Delft\"}";
    static final String REVISION_2 = "{\"aggregateId\":\"p-1\",\"version\":1,\"at\":\"2024-05-06T07:08:09Z\","
            + "\"name\":\"Ann Lee\",\"address\":{\"street\":\"Main 1\",\"city\":\"Delft\"}}";
    static final PersonCreated TODAY = new PersonCreated("p-1", 1, AT, new Name("Ann", "Lee"),
            new Address("Main 1", "Delft"), "NL");

    private static JacksonSerializer people() {
        return JacksonSerializer.json().bind(PersonCreated.class, EmailChanged.class, Noted.class)
                .addUpcasters(RENAMED_AND_NESTED, NAME_SPLIT).verifyUpcasters();
    }

    private static Record stored(String type, int revision, String json) {
        return new Record("Person", "p-1", 1, type, revision, AT, json.getBytes(StandardCharsets.UTF_8), Map.of(),
                null, 42);
    }

    @Test
    void marshalStoresTheClassesRevision() {
        Record record = people().marshal(TODAY);
        assertThat(record.type()).isEqualTo("PersonCreated");
        assertThat(record.revision()).isEqualTo(3);
        assertThat(people().marshal(new Noted("n-1", 1, AT, "x")).revision()).isEqualTo(1);
    }

    @Test
    void aChainOfThreeRevisionsReadsEveryStoredRevisionAsTodaysClass() {
        JacksonSerializer serializer = people();
        assertThat(serializer.unmarshal(stored("PersonRegistered", 1, REVISION_1))).isEqualTo(TODAY);
        assertThat(serializer.unmarshal(stored("PersonCreated", 2, REVISION_2))).isEqualTo(TODAY);
        assertThat(serializer.unmarshal(serializer.marshal(TODAY))).isEqualTo(TODAY);
    }

    @Test
    void aCborSerializerUpcastsTheSameTree() {
        JacksonSerializer serializer = JacksonSerializer.cbor().bind(PersonCreated.class)
                .addUpcasters(RENAMED_AND_NESTED, NAME_SPLIT).verifyUpcasters();
        byte[] cbor = CBORMapper.builder().build().writeValueAsBytes(JsonMapper.builder().build().readTree(REVISION_1));
        Record old = new Record("Person", "p-1", 1, "PersonRegistered", 1, AT, cbor, Map.of(), null, 0);
        assertThat(serializer.unmarshal(old)).isEqualTo(TODAY);
    }

    @Test
    void readingNeverChangesTheStoredBytes() {
        Record old = stored("PersonRegistered", 1, REVISION_1);
        byte[] before = old.data().clone();
        people().unmarshal(old);
        people().unmarshal(old);
        assertThat(old.data()).isEqualTo(before);
    }

    @Test
    void anAliasReadsEventsStoredUnderTheOldName() {
        Record old = new Record("Person", "p-1", 2, "MailChanged", 1, AT,
                "{\"aggregateId\":\"p-1\",\"version\":2,\"at\":\"2024-05-06T07:08:09Z\",\"email\":\"a@b.c\"}"
                        .getBytes(StandardCharsets.UTF_8), Map.of(), null, 7);
        assertThat(people().unmarshal(old)).isEqualTo(new EmailChanged("p-1", 2, AT, "a@b.c"));
        assertThat(people().boundType("MailChanged")).isEqualTo(EmailChanged.class);
        assertThat(people().marshal(new EmailChanged("p-1", 2, AT, "a@b.c")).type()).isEqualTo("EmailChanged");
    }

    @Test
    void anAliasThatIsAnotherClassesTypeNameIsRefusedWhenBound() {
        JacksonSerializer serializer = JacksonSerializer.json().bind(Noted.class);
        assertThatThrownBy(() -> serializer.bind(ClaimsNoted.class))
                .isInstanceOfSatisfying(DuplicateEventTypeException.class, e -> {
                    assertThat(e.eventType()).isEqualTo("Noted");
                    assertThat(e.classes()).containsExactly(Noted.class, ClaimsNoted.class);
                })
                .hasMessageContaining("it is the type name of " + Noted.class.getName() + " and an alias of "
                        + ClaimsNoted.class.getName());
        assertThatThrownBy(() -> JacksonSerializer.json().bind(ClaimsNoted.class, OtherNoted.class))
                .isInstanceOf(DuplicateEventTypeException.class);
    }

    @Test
    void aRevisionNewerThanTheClassIsAnErrorNamingTheEvent() {
        assertThatThrownBy(() -> people().unmarshal(stored("PersonCreated", 4, REVISION_2)))
                .isInstanceOfSatisfying(EventRevisionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NEWER_THAN_CODE);
                    assertThat(e.aggregateType()).isEqualTo("Person");
                    assertThat(e.aggregateId()).isEqualTo("p-1");
                    assertThat(e.version()).isEqualTo(1);
                    assertThat(e.position()).isEqualTo(42);
                    assertThat(e.eventType()).isEqualTo("PersonCreated");
                    assertThat(e.revision()).isEqualTo(4);
                    assertThat(e.currentRevision()).isEqualTo(3);
                })
                .hasMessage("Event PersonCreated revision 4 of aggregate Person 'p-1' version 1 at position 42 is "
                        + "newer than its class, which declares revision 3: it was written by a newer release of the "
                        + "application; run that release (or one that knows revision 4) to read it");
    }

    @Test
    void anOlderRevisionWithNoWayUpIsAnErrorNamingTheEvent() {
        JacksonSerializer serializer = JacksonSerializer.json().bind(PersonCreated.class).addUpcasters(NAME_SPLIT);
        assertThatThrownBy(() -> serializer.unmarshal(stored("PersonCreated", 1, REVISION_1)))
                .isInstanceOfSatisfying(EventRevisionException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_UPCASTER);
                    assertThat(e.revision()).isEqualTo(1);
                    assertThat(e.currentRevision()).isEqualTo(3);
                    assertThat(e.position()).isEqualTo(42);
                })
                .hasMessage("Event PersonCreated revision 1 of aggregate Person 'p-1' version 1 at position 42 cannot "
                        + "be read: no upcaster reads 'PersonCreated' revision 1 and its class declares revision 3; "
                        + "register Upcaster.from(\"PersonCreated\", 1)");
    }

    @Test
    void aStoredNameNoClassAndNoUpcasterKnowsIsStillAnUnknownType() {
        assertThatThrownBy(() -> people().unmarshal(stored("Vanished", 1, "{}")))
                .isInstanceOf(UnknownEventTypeException.class);
    }

    @Test
    void anUpcasterAddedAfterAFailedReadIsUsedByTheNextRead() {
        JacksonSerializer serializer = JacksonSerializer.json().bind(PersonCreated.class).addUpcasters(NAME_SPLIT);
        Record old = stored("PersonRegistered", 1, REVISION_1);
        assertThatThrownBy(() -> serializer.unmarshal(old)).isInstanceOf(UnknownEventTypeException.class);
        serializer.addUpcasters(RENAMED_AND_NESTED);
        assertThat(serializer.unmarshal(old)).isEqualTo(TODAY);
    }

    @Test
    void anUpcasterThatFailsIsASerializationErrorNamingTheStepAndTheEvent() {
        Record old = stored("PersonCreated", 2, REVISION_2.replace("\"Ann Lee\"", "\"Cher\""));
        assertThatThrownBy(() -> people().unmarshal(old))
                .isInstanceOfSatisfying(SerializationException.class, e -> {
                    assertThat(e.direction()).isEqualTo(SerializationException.Direction.DESERIALIZE);
                    assertThat(e.eventClass()).isEqualTo(PersonCreated.class);
                    assertThat(e.getCause()).isInstanceOf(ArrayIndexOutOfBoundsException.class);
                })
                .hasMessageStartingWith("Cannot upcast event PersonCreated revision 2 version 1 of aggregate 'p-1' at "
                        + "position 42: Upcaster PersonCreated revision 2 -> PersonCreated revision 3 "
                        + "[convertField name, addField country] failed: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "null"})
    void anOldPayloadThatIsNoObjectCannotBeUpcast(String payload) {
        assertThatThrownBy(() -> people().unmarshal(stored("PersonCreated", 2, payload)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not an object");
    }

    @Test
    void anUpcastPayloadThatDoesNotFitTheClassNamesTheStoredRevision() {
        Record old = stored("PersonCreated", 2, REVISION_2.replace("{\"street\"", "{\"street\":[1],\"x\""));
        assertThatThrownBy(() -> people().unmarshal(old)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("(stored as PersonCreated revision 2) after 1 upcast step into "
                        + PersonCreated.class.getName());
    }

    @Test
    void verifyUpcastersChecksTheChainsAgainstTheBoundClasses() {
        JacksonSerializer gap = JacksonSerializer.json().bind(PersonCreated.class).addUpcasters(RENAMED_AND_NESTED);
        assertThatThrownBy(gap::verifyUpcasters).isInstanceOfSatisfying(InvalidUpcasterException.class,
                e -> assertThat(e.problem()).isEqualTo(InvalidUpcasterException.Problem.GAP));
        JacksonSerializer ahead = JacksonSerializer.json().bind(Noted.class).addUpcasters(Upcaster.from("Noted", 1));
        assertThatThrownBy(ahead::verifyUpcasters).isInstanceOfSatisfying(InvalidUpcasterException.class,
                e -> assertThat(e.problem()).isEqualTo(InvalidUpcasterException.Problem.AHEAD_OF_CLASS));
        JacksonSerializer alias = JacksonSerializer.json().bind(EmailChanged.class)
                .addUpcasters(Upcaster.from("MailChanged", 1).renameType("EmailChanged").toRevision(1));
        assertThatThrownBy(alias::verifyUpcasters).isInstanceOfSatisfying(InvalidUpcasterException.class,
                e -> assertThat(e.problem()).isEqualTo(InvalidUpcasterException.Problem.ALIAS_COLLISION));
        assertThat(people().upcasters()).containsExactlyInAnyOrder(RENAMED_AND_NESTED, NAME_SPLIT);
    }
}
