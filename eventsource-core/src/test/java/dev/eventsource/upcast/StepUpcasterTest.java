package dev.eventsource.upcast;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The helpers of {@link StepUpcaster}, each on a payload as it is stored. */
class StepUpcasterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UpcastContext CONTEXT = new UpcastContext("Person", "p-1", 4, 17, "PersonCreated", 1,
            Instant.parse("2024-01-02T03:04:05Z"), Map.of("user", "ann"));

    private static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text);
    }

    private static JsonNode run(Upcaster upcaster, String payload) {
        return upcaster.upcast(json(payload), CONTEXT);
    }

    @Test
    void aStepReadsItsTypeAndRevisionAndWritesTheNextRevisionOfTheSameTypeByDefault() {
        StepUpcaster step = Upcaster.from("PersonCreated", 1);
        assertThat(step.type()).isEqualTo("PersonCreated");
        assertThat(step.revision()).isEqualTo(1);
        assertThat(step.targetType()).isEqualTo("PersonCreated");
        assertThat(step.targetRevision()).isEqualTo(2);
        assertThat(run(step, "{\"name\":\"Ann\"}")).isEqualTo(json("{\"name\":\"Ann\"}"));
    }

    @Test
    void renameTypeAndToRevisionSetTheResult() {
        StepUpcaster step = Upcaster.from("PersonRegistered", 2).renameType("PersonCreated");
        assertThat(step.targetType()).isEqualTo("PersonCreated");
        assertThat(step.targetRevision()).isEqualTo(3);
        assertThat(step.toRevision(2).targetRevision()).isEqualTo(2);
        assertThat(step.toString()).isEqualTo("Upcaster PersonRegistered revision 2 -> PersonCreated revision 3");
    }

    @Test
    void renameFieldRenamesInPlaceAtAnyDepth() {
        assertThat(run(Upcaster.from("T", 1).renameField("name", "fullName"), "{\"name\":\"Ann\",\"age\":3}"))
                .isEqualTo(json("{\"fullName\":\"Ann\",\"age\":3}"));
        assertThat(run(Upcaster.from("T", 1).renameField("address.zip", "postalCode"),
                "{\"address\":{\"zip\":\"2611\",\"city\":\"Delft\"}}"))
                .isEqualTo(json("{\"address\":{\"postalCode\":\"2611\",\"city\":\"Delft\"}}"));
    }

    @Test
    void aFieldThatIsAbsentIsLeftAloneByEveryHelperThatReadsIt() {
        Upcaster step = Upcaster.from("T", 1).renameField("nick", "alias").moveField("street", "address.street")
                .removeField("legacy").convertField("amount", amount -> amount.asLong() * 100)
                .renameField("address.zip", "postalCode");
        assertThat(run(step, "{\"name\":\"Ann\"}")).isEqualTo(json("{\"name\":\"Ann\"}"));
    }

    @Test
    void moveFieldMovesIntoANestedObjectCreatingItAndOutOfOne() {
        Upcaster into = Upcaster.from("T", 1).moveField("street", "address.street").moveField("city", "address.city");
        assertThat(run(into, "{\"name\":\"Ann\",\"street\":\"Main 1\",\"city\":\"Delft\"}"))
                .isEqualTo(json("{\"name\":\"Ann\",\"address\":{\"street\":\"Main 1\",\"city\":\"Delft\"}}"));
        Upcaster outOf = Upcaster.from("T", 1).moveField("address.street", "street");
        assertThat(run(outOf, "{\"address\":{\"street\":\"Main 1\"}}"))
                .isEqualTo(json("{\"address\":{},\"street\":\"Main 1\"}"));
    }

    @Test
    void moveFieldIntoAnObjectThatIsNullCreatesIt() {
        assertThat(run(Upcaster.from("T", 1).moveField("street", "address.street"),
                "{\"street\":\"Main 1\",\"address\":null}"))
                .isEqualTo(json("{\"address\":{\"street\":\"Main 1\"}}"));
    }

    @Test
    void aMoveOrRenameOntoAFieldThatIsPresentFailsRatherThanLoseAValue() {
        assertThatThrownBy(() -> run(Upcaster.from("T", 1).renameField("name", "fullName"),
                "{\"name\":\"Ann\",\"fullName\":\"Ann Lee\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("renameField name -> fullName: the payload already has 'fullName'; remove or rename it "
                        + "first, so that no value is lost");
    }

    @Test
    void aMoveThroughAValueThatIsNoObjectFailsNamingIt() {
        assertThatThrownBy(() -> run(Upcaster.from("T", 1).moveField("street", "address.street"),
                "{\"street\":\"Main 1\",\"address\":\"Main 1, Delft\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("moveField street -> address.street: 'address' is STRING, not an object");
    }

    @Test
    void addFieldAddsTheDefaultOnlyWhereTheFieldIsAbsent() {
        Upcaster step = Upcaster.from("T", 1).addField("currency", "EUR").addField("money.scale", 2)
                .addField("tags", List.of("old")).addField("note", null);
        assertThat(run(step, "{}")).isEqualTo(json(
                "{\"currency\":\"EUR\",\"money\":{\"scale\":2},\"tags\":[\"old\"],\"note\":null}"));
        assertThat(run(step, "{\"currency\":null,\"money\":{\"scale\":4},\"tags\":[],\"note\":\"x\"}"))
                .isEqualTo(json("{\"currency\":null,\"money\":{\"scale\":4},\"tags\":[],\"note\":\"x\"}"));
    }

    @Test
    void aDefaultIsCopiedSoThatOnePayloadCannotChangeAnother() {
        Upcaster step = Upcaster.from("T", 1).addField("money", Map.of("currency", "EUR"));
        ObjectNode first = (ObjectNode) run(step, "{}");
        ((ObjectNode) first.get("money")).put("currency", "USD");
        assertThat(run(step, "{}")).isEqualTo(json("{\"money\":{\"currency\":\"EUR\"}}"));
    }

    @Test
    void removeFieldRemovesIt() {
        assertThat(run(Upcaster.from("T", 1).removeField("address.legacy"),
                "{\"address\":{\"legacy\":1,\"city\":\"Delft\"}}"))
                .isEqualTo(json("{\"address\":{\"city\":\"Delft\"}}"));
    }

    @Test
    void convertFieldChangesARepresentationFromTheStoredValue() {
        Upcaster toCents = Upcaster.from("T", 1).convertField("amount", amount -> Map.of("cents",
                amount.decimalValue().movePointRight(2).intValueExact(), "currency", "EUR"));
        assertThat(run(toCents, "{\"amount\":12.34}"))
                .isEqualTo(json("{\"amount\":{\"cents\":1234,\"currency\":\"EUR\"}}"));
        Upcaster split = Upcaster.from("T", 1).convertField("name", name -> {
            String[] parts = name.asString().split(" ", 2);
            return JSON.createObjectNode().put("first", parts[0]).put("last", parts[1]);
        });
        assertThat(run(split, "{\"name\":\"Ann Lee\"}"))
                .isEqualTo(json("{\"name\":{\"first\":\"Ann\",\"last\":\"Lee\"}}"));
        assertThat(run(Upcaster.from("T", 1).convertField("n", n -> n.isNull() ? 0 : n), "{\"n\":null}"))
                .isEqualTo(json("{\"n\":0}"));
    }

    @Test
    void transformSeesTheStoredEventAndHelpersRunInOrder() {
        Upcaster step = Upcaster.from("T", 1)
                .transform("stamp the author", (payload, context) -> payload.put("author",
                        context.metadata().get("user") + "@" + context.version() + "/" + context.position()))
                .renameField("author", "by");
        assertThat(run(step, "{}")).isEqualTo(json("{\"by\":\"ann@4/17\"}"));
        assertThat(step.toString()).isEqualTo(
                "Upcaster T revision 1 -> T revision 2 [stamp the author, renameField author -> by]");
    }

    @Test
    void aTransformThatReturnsNullIsAnError() {
        assertThatThrownBy(() -> run(Upcaster.from("T", 1).transform("forget", (payload, context) -> null), "{}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("forget returned null; return the payload");
    }

    @Test
    void stepsAreImmutableSoABaseStepCanBeShared() {
        StepUpcaster base = Upcaster.from("T", 1).renameField("a", "b");
        base.addField("c", 1);
        assertThat(run(base, "{\"a\":1}")).isEqualTo(json("{\"b\":1}"));
    }

    @Test
    void badArgumentsAreRefusedWhenTheStepIsBuilt() {
        assertThatThrownBy(() -> Upcaster.from(" ", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An upcaster needs a non-blank type, got ' '");
        assertThatThrownBy(() -> Upcaster.from("T", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An upcaster of 'T' reads revision 0; revisions start at 1");
        assertThatThrownBy(() -> Upcaster.from("T", 3).toRevision(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An upcaster of T revision 3 cannot produce the lower revision 2; upcasters only go up");
        assertThatThrownBy(() -> Upcaster.from("T", 1).renameField("a..b", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Field path 'a..b' has an empty name; write names separated by single dots, such as "
                        + "\"address.street\"");
        assertThatThrownBy(() -> Upcaster.from("T", 1).renameField("a", "b.c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use moveField");
        assertThatThrownBy(() -> Upcaster.from("T", 1).moveField("a", "a.b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("moveField a -> a.b: a field cannot move into itself");
        assertThatThrownBy(() -> Upcaster.from("T", 1).renameType(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("An upcaster needs a non-blank new type, got ''");
    }
}
