package dev.eventsource.test;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Record;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The store contract's idempotency and conflicts: an identical re-save (a retry: the same versions, types,
 * revisions and payloads) is a no-op; a batch that overlaps with other content, skips versions or names another
 * aggregate type is a conflict that stores nothing. One group of {@link StoreContractTests}, which runs it on its
 * subclass's store.
 */
abstract class IdempotencyContract extends StoreContract {

    IdempotencyContract(StoreContractTests entry) {
        super(entry);
    }

    @Test
    @DisplayName("re-saving an identical batch (a retry after an ambiguous commit) succeeds and duplicates nothing")
    void identicalResaveIsNoOp() {
        List<Record> first = List.of(record("order-1", 1), record("order-1", 2));
        List<Record> second = List.of(record("order-1", 3), record("order-1", 4));
        store.save("order-1", first);
        store.save("order-1", second);
        List<Record> before = store.readAll(0, EVERYTHING);

        store.save("order-1", second);
        store.save("order-1", first);

        assertThat(versionsOf(store.load("order-1"))).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.readAll(0, EVERYTHING)).extracting(Record::position)
                .containsExactlyElementsOf(positionsOf(before));
    }

    @Test
    @DisplayName("re-saving stored versions with a different payload is a conflict, and the stored payload stays")
    void resaveWithDifferentPayloadConflicts() {
        store.save("order-1", record("order-1", 1, "{\"n\": 1}"), record("order-1", 2, "{\"n\": 2}"));

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 1, "{\"n\": 1}"), record("order-1", 2, "{\"n\": 99}")));

        assertThat(conflict).as("re-save with a changed payload must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo("order-1");
        assertThat(conflict.expectedVersion()).isZero();
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertStoredPayloads("order-1", "{\"n\": 1}", "{\"n\": 2}");
    }

    @Test
    @DisplayName("re-saving a stored version under a different type is a conflict")
    void resaveWithDifferentTypeConflicts() {
        store.save("order-1", Record.of(STREAM, "order-1", 1, "OrderPlaced", BASE_TIME, json("{\"n\": 1}")));

        assertThatThrownBy(() -> store.save("order-1",
                Record.of(STREAM, "order-1", 1, "OrderCancelled", BASE_TIME, json("{\"n\": 1}"))))
                .isInstanceOf(ConcurrencyConflictException.class);
        assertThat(store.load("order-1")).extracting(Record::type).containsExactly("OrderPlaced");
    }

    @Test
    @DisplayName("a retry is identical only in the same revisions: another revision is a conflict, nothing changes")
    void resaveWithDifferentRevisionConflicts() {
        List<Record> batch = List.of(record("order-1", 1), record("order-1", 2).withRevision(2));
        store.save("order-1", batch);
        assertThat(store.save("order-1", batch)).as("a retry in the same revisions is an idempotent success").isFalse();

        ConcurrencyConflictException raised = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 1), record("order-1", 2).withRevision(3)));
        assertThat(raised).as("the same batch with version 2 in revision 3 instead of 2 must be a conflict")
                .isNotNull();
        assertThat(raised.aggregateId()).isEqualTo("order-1");
        assertThat(raised.expectedVersion()).isZero();
        assertThat(raised.actualVersion()).isEqualTo(2);

        ConcurrencyConflictException lowered = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 2)));
        assertThat(lowered).as("version 2 again in revision 1 instead of 2 must be a conflict").isNotNull();
        assertThat(lowered.expectedVersion()).isEqualTo(1);
        assertThat(lowered.actualVersion()).isEqualTo(2);

        assertThat(store.load("order-1")).extracting(Record::revision).containsExactly(1, 2);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(2);
    }

    @Test
    @DisplayName("a batch overlapping stored versions is a conflict naming the aggregate, expected and actual version")
    void overlappingVersionsConflict() {
        saveVersions("order-1", 1, 2);

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 2, "{\"n\": 20}"), record("order-1", 3, "{\"n\": 30}")));

        assertThat(conflict).as("save of versions 2..3 over 1..2 must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo("order-1");
        assertThat(conflict.expectedVersion()).isEqualTo(1);
        assertThat(conflict.actualVersion()).isEqualTo(2);
        assertStoredPayloads("order-1", "{\"n\": 1}", "{\"n\": 2}");
    }

    @Test
    @DisplayName("two different first events for a new aggregate: the second is a conflict (expected 0, actual 1)")
    void secondFirstEventConflicts() {
        store.save("order-1", record("order-1", 1, "{\"by\": \"first\"}"));

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 1, "{\"by\": \"second\"}")));

        assertThat(conflict).isNotNull();
        assertThat(conflict.aggregateId()).isEqualTo("order-1");
        assertThat(conflict.expectedVersion()).isZero();
        assertThat(conflict.actualVersion()).isEqualTo(1);
        assertStoredPayloads("order-1", "{\"by\": \"first\"}");
    }

    @Test
    @DisplayName("a batch that skips versions is a conflict and stores nothing")
    void gapInVersionsIsRejected() {
        saveVersions("order-1", 1, 1);

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 3), record("order-1", 4)));
        assertThat(conflict).as("save of version 3 onto version 1 must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.expectedVersion()).isEqualTo(2);
        assertThat(conflict.actualVersion()).isEqualTo(1);
        assertThat(versionsOf(store.load("order-1"))).containsExactly(1L);

        ConcurrencyConflictException onNew = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-2", record("order-2", 2)));
        assertThat(onNew).as("a new aggregate starting at version 2 must be a ConcurrencyConflictException").isNotNull();
        assertThat(onNew.expectedVersion()).isEqualTo(1);
        assertThat(onNew.actualVersion()).isZero();
        assertThatThrownBy(() -> store.load("order-2")).isInstanceOf(AggregateNotFoundException.class);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(1);
    }

    @Test
    @DisplayName("a batch that conflicts part-way (versions 3..5 when 4 exists) stores none of its records")
    void conflictingBatchLeavesNothingBehind() {
        saveVersions("order-1", 1, 4);

        ConcurrencyConflictException conflict = catchThrowableOfType(ConcurrencyConflictException.class,
                () -> store.save("order-1", record("order-1", 3, "{\"new\": 3}"), record("order-1", 4, "{\"new\": 4}"),
                        record("order-1", 5, "{\"new\": 5}")));

        assertThat(conflict).as("versions 3..5 onto 1..4 must be a ConcurrencyConflictException").isNotNull();
        assertThat(conflict.expectedVersion()).isEqualTo(2);
        assertThat(conflict.actualVersion()).isEqualTo(4);
        assertStoredPayloads("order-1", "{\"n\": 1}", "{\"n\": 2}", "{\"n\": 3}", "{\"n\": 4}");
        assertThat(store.readAll(0, EVERYTHING)).hasSize(4);
    }

    @Test
    @DisplayName("appending to an id stored under another aggregate type is not-found for that type, nothing stored")
    void anIdBelongsToOneAggregateType() {
        saveVersions("order-1", 1, 2);

        AggregateNotFoundException notFound = catchThrowableOfType(AggregateNotFoundException.class,
                () -> store.save("order-1", Record.of("Customer", "order-1", 3, TYPE, BASE_TIME, json("{\"n\": 3}"))));

        assertThat(notFound).as("an append of another aggregate type must be refused as not found").isNotNull();
        assertThat(notFound.aggregateType()).isEqualTo("Customer");
        assertThat(notFound.aggregateId()).isEqualTo("order-1");
        assertThat(notFound.storedType()).isEqualTo(STREAM);
        assertThat(store.load("order-1")).hasSize(2).extracting(Record::aggregateType).containsOnly(STREAM);
        assertThat(store.readAll(0, EVERYTHING)).hasSize(2);
    }
}
