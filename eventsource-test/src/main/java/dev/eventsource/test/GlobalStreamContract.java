package dev.eventsource.test;

import dev.eventsource.Record;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract's global stream: every record once, in strictly increasing positions, paged after a
 * position, with the head of the stream and the positions loads show. One group of {@link StoreContractTests},
 * which runs it on its subclass's store.
 */
abstract class GlobalStreamContract extends StoreContract {

    GlobalStreamContract(StoreContractTests entry) {
        super(entry);
    }

    @Test
    @DisplayName("lastPosition is 0 when empty, then the position of the last record in the stream")
    void lastPositionIsTheHeadOfTheStream() {
        assertThat(store.lastPosition()).isZero();
        saveVersions("order-1", 1, 2);
        saveVersions("order-2", 1, 1);

        List<Record> stream = store.readAll(0, EVERYTHING);
        assertThat(store.lastPosition()).isEqualTo(stream.get(stream.size() - 1).position());
        assertThat(store.readAll(store.lastPosition(), EVERYTHING)).isEmpty();
    }

    @Test
    @DisplayName("the global stream holds every record once, in strictly increasing positions, in save order")
    void globalPositionsStrictlyIncrease() {
        saveVersions("order-1", 1, 2);
        saveVersions("order-2", 1, 1);
        saveVersions("order-1", 3, 3);

        List<Record> stream = store.readAll(0, EVERYTHING);

        assertThat(stream).extracting(r -> r.aggregateId() + "@" + r.version())
                .containsExactly("order-1@1", "order-1@2", "order-2@1", "order-1@3");
        assertStrictlyIncreasingPositions(stream);
        assertThat(stream).extracting(Record::type).containsOnly(TYPE);
        assertSamePayload(json("{\"n\": 3}"), stream.get(3).data());
    }

    @Test
    @DisplayName("readAll(after, limit) returns exactly the records after the position, in order, at most limit")
    void readAllAfterPositionHonoursLimit() {
        saveVersions("order-1", 1, 3);
        saveVersions("order-2", 1, 3);
        saveVersions("order-3", 1, 2);
        List<Record> all = store.readAll(0, EVERYTHING);
        assertThat(all).hasSize(8);
        long afterThird = all.get(2).position();

        assertThat(keysOf(store.readAll(afterThird, EVERYTHING))).containsExactlyElementsOf(keysOf(all.subList(3, 8)));
        assertThat(keysOf(store.readAll(afterThird, 2))).containsExactlyElementsOf(keysOf(all.subList(3, 5)));
        assertThat(keysOf(store.readAll(0, 1))).containsExactlyElementsOf(keysOf(all.subList(0, 1)));
        assertThat(store.readAll(all.get(7).position(), EVERYTHING)).isEmpty();

        List<Record> paged = new ArrayList<>();
        long position = 0;
        for (List<Record> page = store.readAll(position, 3); !page.isEmpty(); page = store.readAll(position, 3)) {
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            paged.addAll(page);
            position = page.get(page.size() - 1).position();
        }
        assertThat(keysOf(paged)).containsExactlyElementsOf(keysOf(all));
    }

    @Test
    @DisplayName("loaded records carry the same positive position the global stream shows")
    void loadedRecordsCarryPositions() {
        saveVersions("order-1", 1, 2);
        saveVersions("order-2", 1, 2);

        Map<String, Long> streamPositions = store.readAll(0, EVERYTHING).stream()
                .collect(Collectors.toMap(r -> r.aggregateId() + "@" + r.version(), Record::position));
        List<Record> loaded = new ArrayList<>(store.load("order-1"));
        loaded.addAll(store.load("order-2", 2, 2));

        for (Record record : loaded) {
            assertThat(record.position()).as("position of %s@%d", record.aggregateId(), record.version())
                    .isPositive()
                    .isEqualTo(streamPositions.get(record.aggregateId() + "@" + record.version()));
        }
    }
}
