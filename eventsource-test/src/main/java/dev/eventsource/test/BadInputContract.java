package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.Record;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store contract's bad input: arguments a store refuses with {@link IllegalArgumentException}, storing
 * nothing. One group of {@link StoreContractTests}, which runs it on its subclass's store.
 */
abstract class BadInputContract extends StoreContract {

    BadInputContract(StoreContractTests entry) {
        super(entry);
    }

    @Test
    @DisplayName("load rejects a negative version bound")
    void loadRejectsNegativeBounds() {
        saveVersions("order-1", 1, 1);

        assertThatIllegalArgumentException().isThrownBy(() -> store.load("order-1", -1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> store.load("order-1", 0, -1));
    }

    @Test
    @DisplayName("readAll rejects a negative position and a limit below 1")
    void readAllChecksArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> store.readAll(-1, 10));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readAll(0, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> store.readAll(0, -5));
    }

    @Test
    @DisplayName("a record without an aggregate type, or a batch of two types, is refused and nothing stored")
    void recordsNeedOneAggregateType() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", Record.of("order-1", 1, TYPE, BASE_TIME, json("{}"))))
                .withMessageContaining("aggregate type");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-1", 1),
                        Record.of("Customer", "order-1", 2, TYPE, BASE_TIME, json("{}"))))
                .withMessageContaining("two aggregate types");
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    @Test
    @DisplayName("a batch whose versions are not consecutive is rejected with nothing stored")
    void nonConsecutiveBatchIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-1", 1), record("order-1", 3)))
                .withMessageContaining("consecutive");
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);

        saveVersions("order-2", 1, 1);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-2", record("order-2", 2), record("order-2", 2)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-2", record("order-2", 3), record("order-2", 2)));
        assertThat(versionsOf(store.load("order-2"))).containsExactly(1L);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(1);
    }

    @Test
    @DisplayName("a batch with a null record is rejected with nothing stored")
    void nullRecordIsRejected() {
        List<Record> withNull = Arrays.asList(record("order-1", 1), null);

        assertThatIllegalArgumentException().isThrownBy(() -> store.save("order-1", withNull));
        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
    }

    @Test
    @DisplayName("a record of another aggregate in the batch is rejected, and neither aggregate gets anything")
    void recordsOfAnotherAggregateAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-1", 1), record("order-2", 2)))
                .withMessageContaining("order-2");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store.save("order-1", record("order-2", 1)));

        assertThatThrownBy(() -> store.load("order-1")).isInstanceOf(AggregateNotFoundException.class);
        assertThatThrownBy(() -> store.load("order-2")).isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.readAll(0, EVERYTHING)).isEmpty();
    }

    @Test
    @DisplayName("a null or blank aggregate id is rejected by save and load")
    void blankIdsAreRejected() {
        for (String blank : Arrays.asList(null, "", "   ")) {
            assertThatIllegalArgumentException().as("save with id %s", blank)
                    .isThrownBy(() -> store.save(blank, List.of()));
            assertThatIllegalArgumentException().as("load with id %s", blank)
                    .isThrownBy(() -> store.load(blank));
            assertThatIllegalArgumentException().as("range load with id %s", blank)
                    .isThrownBy(() -> store.load(blank, 1, 2));
        }
        assertThat(store.readAll(0, EVERYTHING)).isEmpty();
    }
}
