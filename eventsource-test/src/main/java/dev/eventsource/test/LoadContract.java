package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.History;
import dev.eventsource.Record;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The store contract's loads of one aggregate: version ranges with inclusive and open bounds, results that are
 * snapshots, and "not found" for an aggregate without events. One group of {@link StoreContractTests}, which runs
 * it on its subclass's store.
 */
abstract class LoadContract extends StoreContract {

    LoadContract(StoreContractTests entry) {
        super(entry);
    }

    @Test
    @DisplayName("a loaded history and a page of the stream are snapshots: later saves do not change them")
    void loadedResultsAreSnapshots() {
        saveVersions("order-1", 1, 2);
        History history = store.load("order-1");
        List<Record> page = store.readAll(0, EVERYTHING);

        saveVersions("order-1", 3, 4);

        assertThat(versionsOf(history)).containsExactly(1L, 2L);
        assertThat(history.version()).isEqualTo(2);
        assertThat(versionsOf(page)).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("load with only a lower bound returns that version and all later ones")
    void loadFromOnly() {
        saveVersions("order-1", 1, 5);

        assertThat(versionsOf(store.load("order-1", 3, 0))).containsExactly(3L, 4L, 5L);
    }

    @Test
    @DisplayName("load with only an upper bound returns the first versions up to and including it")
    void loadToOnly() {
        saveVersions("order-1", 1, 5);

        assertThat(versionsOf(store.load("order-1", 0, 2))).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("load with both bounds includes both ends")
    void loadBothBoundsInclusive() {
        saveVersions("order-1", 1, 5);

        assertThat(versionsOf(store.load("order-1", 2, 4))).containsExactly(2L, 3L, 4L);
        assertThat(versionsOf(store.load("order-1", 3, 3))).containsExactly(3L);
    }

    @Test
    @DisplayName("load with both bounds open (0, 0) returns the whole history in version order")
    void loadOpenReturnsAll() {
        saveVersions("order-1", 1, 2);
        saveVersions("order-1", 3, 5);

        assertThat(versionsOf(store.load("order-1", 0, 0))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(versionsOf(store.load("order-1"))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(store.load("order-1").version()).isEqualTo(5);
    }

    @Test
    @DisplayName("load from beyond the last version returns an empty history, not 'not found'")
    void loadFromBeyondEndIsEmpty() {
        saveVersions("order-1", 1, 3);

        assertThat(store.load("order-1", 4, 0)).isEmpty();
        assertThat(store.load("order-1", 10, 20)).isEmpty();
        assertThat(store.load("order-1", 3, 2)).as("a lower bound above the upper bound selects nothing").isEmpty();
    }

    @Test
    @DisplayName("load with an upper bound beyond the last version stops at the last version")
    void loadToBeyondEndStopsAtLast() {
        saveVersions("order-1", 1, 3);

        assertThat(versionsOf(store.load("order-1", 2, 99))).containsExactly(2L, 3L);
    }

    @Test
    @DisplayName("loading an aggregate without events throws AggregateNotFoundException naming the id")
    void unknownAggregateIsNotFound() {
        saveVersions("order-1", 1, 1);

        AggregateNotFoundException notFound = catchThrowableOfType(AggregateNotFoundException.class,
                () -> store.load("order-2"));
        assertThat(notFound).as("load of an unknown aggregate must throw AggregateNotFoundException").isNotNull();
        assertThat(notFound.aggregateId()).isEqualTo("order-2");
        assertThat(notFound).hasMessageContaining("order-2");
        assertThatThrownBy(() -> store.load("order-2", 1, 5)).isInstanceOf(AggregateNotFoundException.class);
    }
}
