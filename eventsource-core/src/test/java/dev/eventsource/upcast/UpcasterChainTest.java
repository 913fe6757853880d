package dev.eventsource.upcast;

import dev.eventsource.EventRevisionException.Reason;
import dev.eventsource.InvalidUpcasterException;
import dev.eventsource.InvalidUpcasterException.Problem;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules that make upcasters chains, checked against the bound classes as a start-up check does. */
class UpcasterChainTest {

    private static UpcasterChain chain(Upcaster... upcasters) {
        return UpcasterChain.empty().plus(List.of(upcasters));
    }

    private static InvalidUpcasterException verifyFails(UpcasterChain chain, Map<String, Integer> revisions,
                                                        Map<String, String> aliases) {
        try {
            chain.verify(revisions, aliases);
        } catch (InvalidUpcasterException e) {
            return e;
        }
        throw new AssertionError("verify passed");
    }

    @Test
    void aChainOfThreeRevisionsWithARenamePlansEveryStoredRevision() {
        UpcasterChain chain = chain(Upcaster.from("PersonRegistered", 1).renameType("PersonCreated"),
                Upcaster.from("PersonCreated", 2).renameField("a", "b"));
        Map<String, Integer> revisions = Map.of("PersonCreated", 3);
        assertThatCode(() -> chain.verify(revisions, Map.of())).doesNotThrowAnyException();

        UpcasterChain.Plan fromOldName = chain.plan("PersonRegistered", 1, revisions, Map.of());
        assertThat(fromOldName.found()).isTrue();
        assertThat(fromOldName.type()).isEqualTo("PersonCreated");
        assertThat(fromOldName.steps()).extracting(Upcaster::type).containsExactly("PersonRegistered", "PersonCreated");
        assertThat(chain.plan("PersonCreated", 2, revisions, Map.of()).steps()).hasSize(1);
        assertThat(chain.plan("PersonCreated", 3, revisions, Map.of()).steps()).isEmpty();
    }

    @Test
    void aChainMayStartAboveRevisionOneForATypeThatBeganThere() {
        assertThatCode(() -> chain(Upcaster.from("T", 2)).verify(Map.of("T", 3), Map.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void anAliasIsReadAsItsClassAtItsRevision() {
        UpcasterChain chain = chain(Upcaster.from("AccountOpened", 1));
        UpcasterChain.Plan plan = chain.plan("AccountCreated", 1, Map.of("AccountOpened", 2),
                Map.of("AccountCreated", "AccountOpened"));
        assertThat(plan.found()).isTrue();
        assertThat(plan.type()).isEqualTo("AccountOpened");
        assertThat(plan.steps()).hasSize(1);
    }

    @Test
    void plansSayWhereAndWhyTheyStop() {
        UpcasterChain chain = chain(Upcaster.from("T", 1));
        UpcasterChain.Plan newer = chain.plan("T", 5, Map.of("T", 2), Map.of());
        assertThat(newer.reason()).isEqualTo(Reason.NEWER_THAN_CODE);
        assertThat(newer.currentRevision()).isEqualTo(2);
        UpcasterChain.Plan stuck = chain(Upcaster.from("T", 2)).plan("T", 1, Map.of("T", 3), Map.of());
        assertThat(stuck.reason()).isEqualTo(Reason.NO_UPCASTER);
        assertThat(stuck.revision()).isEqualTo(1);
    }

    @Test
    void twoUpcastersForOneStepAreRefusedWhenAdded() {
        Upcaster first = Upcaster.from("T", 1).renameField("a", "b");
        Upcaster second = Upcaster.from("T", 1).renameField("a", "c");
        assertThatThrownBy(() -> chain(first, second))
                .isInstanceOfSatisfying(InvalidUpcasterException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.DUPLICATE_STEP);
                    assertThat(e.eventType()).isEqualTo("T");
                    assertThat(e.revision()).isEqualTo(1);
                })
                .hasMessage("Two upcasters read 'T' revision 1: Upcaster T revision 1 -> T revision 2 [renameField a "
                        + "-> b] and Upcaster T revision 1 -> T revision 2 [renameField a -> c]; keep one step per type "
                        + "and revision (combine their changes into one)");
        assertThatCode(() -> chain(first, first)).as("the same upcaster twice").doesNotThrowAnyException();
    }

    @Test
    void aGapBelowTheCurrentRevisionIsRefused() {
        InvalidUpcasterException e = verifyFails(chain(Upcaster.from("T", 1)), Map.of("T", 3), Map.of());
        assertThat(e.problem()).isEqualTo(Problem.GAP);
        assertThat(e.eventType()).isEqualTo("T");
        assertThat(e.revision()).isEqualTo(2);
        assertThat(e).hasMessage("The chain from 'T' revision 1 stops at 'T' revision 2: its class declares revision 3"
                + " and no upcaster reads revision 2; add Upcaster.from(\"T\", 2)");
    }

    @Test
    void aRevisionAboveOneThatNoUpcasterReachesIsAGap() {
        InvalidUpcasterException e = verifyFails(UpcasterChain.empty(), Map.of("T", 3, "U", 1), Map.of());
        assertThat(e.problem()).isEqualTo(Problem.GAP);
        assertThat(e).hasMessage("The event type 'T' declares revision 3 but no upcaster reads an earlier revision of "
                + "it or leads to it, so its events stored in revision 1 to 2 cannot be read; register "
                + "Upcaster.from(\"T\", 2) (and the steps below it), or keep the revision");
    }

    @Test
    void aChainThatEndsAtATypeNothingIsBoundUnderIsAGap() {
        InvalidUpcasterException e = verifyFails(chain(Upcaster.from("Old", 1).renameType("Nwe")),
                Map.of("New", 2), Map.of());
        assertThat(e.problem()).isEqualTo(Problem.GAP);
        assertThat(e.eventType()).isEqualTo("Nwe");
        assertThat(e).hasMessageContaining("no event class is bound under 'Nwe'");
    }

    @Test
    void anUpcasterFromTheClassesOwnRevisionOrAboveIsAheadOfTheClass() {
        InvalidUpcasterException e = verifyFails(chain(Upcaster.from("T", 1), Upcaster.from("T", 2)),
                Map.of("T", 2), Map.of());
        assertThat(e.problem()).isEqualTo(Problem.AHEAD_OF_CLASS);
        assertThat(e.revision()).isEqualTo(2);
        assertThat(e).hasMessage("Upcaster T revision 2 -> T revision 3 reads revision 2 of 'T', but its class "
                + "declares revision 2: an upcaster reads an older revision than the class's; raise "
                + "@EventType(revision = ...) on the class to 3, or remove the upcaster");
    }

    @Test
    void aChainThatComesBackOnItselfIsACycle() {
        UpcasterChain chain = chain(Upcaster.from("A", 1).renameType("B").toRevision(1),
                Upcaster.from("B", 1).renameType("A").toRevision(1));
        InvalidUpcasterException e = verifyFails(chain, Map.of("C", 1), Map.of());
        assertThat(e.problem()).isEqualTo(Problem.CYCLE);
        assertThat(e).hasMessageStartingWith("The upcasters from 'A' revision 1 come back to 'A' revision 1");
    }

    @Test
    void aStepThatProducesWhatItReadsIsACycle() {
        Upcaster loop = new Upcaster() {
            @Override
            public String type() {
                return "T";
            }

            @Override
            public int revision() {
                return 1;
            }

            @Override
            public int targetRevision() {
                return 1;
            }

            @Override
            public ObjectNode upcast(ObjectNode payload, UpcastContext context) {
                return payload;
            }
        };
        assertThatThrownBy(() -> chain(loop)).isInstanceOfSatisfying(InvalidUpcasterException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.CYCLE));
    }

    @Test
    void anUpcasterThatReadsAnAliasCollidesWithIt() {
        InvalidUpcasterException e = verifyFails(chain(Upcaster.from("AccountCreated", 1)),
                Map.of("AccountOpened", 2), Map.of("AccountCreated", "AccountOpened"));
        assertThat(e.problem()).isEqualTo(Problem.ALIAS_COLLISION);
        assertThat(e.eventType()).isEqualTo("AccountCreated");
        assertThat(e).hasMessageContaining("an alias of the event type 'AccountOpened'");
    }

    @Test
    void anUpcasterThatLowersTheRevisionIsRefused() {
        Upcaster down = new Upcaster() {
            @Override
            public String type() {
                return "T";
            }

            @Override
            public int revision() {
                return 2;
            }

            @Override
            public int targetRevision() {
                return 1;
            }

            @Override
            public ObjectNode upcast(ObjectNode payload, UpcastContext context) {
                return payload;
            }
        };
        assertThatThrownBy(() -> chain(down)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("goes from revision 2 to 1; revisions start at 1 and upcasters only go up");
    }
}
