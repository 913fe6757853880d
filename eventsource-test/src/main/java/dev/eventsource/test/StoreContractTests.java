package dev.eventsource.test;

import dev.eventsource.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import tools.jackson.databind.JsonNode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules every {@link Store} must keep, as JUnit 5 tests: extend this class, return a fresh, empty store from
 * {@link #newStore()}, and the store is checked for round trips, range loads, conflicts, idempotent re-saves,
 * atomic batches, concurrent writers, the global stream and argument checks.
 *
 * <pre>{@code
 * class JdbcStorePostgresTests extends StoreContractTests {
 *     @Override
 *     protected Store newStore() {
 *         truncateEventsTable();
 *         return new JdbcStore(dataSource);
 *     }
 * }
 * }</pre>
 *
 * <p>The rules are grouped by concern, each group a {@link Nested} class that JUnit runs for every subclass:
 * {@code Appends}, {@code Loads}, {@code GlobalStream}, {@code Idempotency} (and conflicts),
 * {@code ConcurrentWriters} and {@code BadInput}. Every test of every group runs on the store {@link #newStore()}
 * returns for it, also available to a subclass's own tests as {@link #store}.
 *
 * <p>Payloads are JSON, because a store on PostgreSQL keeps them in {@code jsonb}, which normalises whitespace and
 * key order; they are compared as parsed JSON by {@link #assertSamePayload}, which a store of binary payloads may
 * override. Times carry microseconds, the precision databases keep. Positions are only required to be positive
 * and strictly increasing, never to start at 1 or to be contiguous (a database sequence skips values on
 * rollback).
 */
public abstract class StoreContractTests {

    /** The store under test: a new one for each test, from {@link #newStore()}. */
    protected Store store;

    /**
     * Creates the store a test runs against; called once per test.
     *
     * @return a store holding no records at all
     */
    protected abstract Store newStore();

    /**
     * Asserts that a loaded payload is the one saved. By default both are parsed as JSON and compared as trees,
     * since a {@code jsonb} column changes whitespace and key order; override for a store of binary payloads.
     *
     * @param expected the bytes saved
     * @param actual the bytes loaded
     * @throws AssertionError when they differ
     */
    protected void assertSamePayload(byte[] expected, byte[] actual) {
        JsonNode expectedTree = StoreContract.JSON.readTree(expected);
        JsonNode actualTree = StoreContract.JSON.readTree(actual);
        assertThat(actualTree)
                .as("payload: expected %s but loaded %s", new String(expected, UTF_8), new String(actual, UTF_8))
                .isEqualTo(expectedTree);
    }

    @BeforeEach
    final void createStore() {
        store = newStore();
        assertThat(store).as("newStore() must return a store").isNotNull();
    }

    /** Round trips of every field, copies of payloads, unusual ids, empty saves: {@link AppendContract}. */
    @Nested
    @DisplayName("appends")
    class Appends extends AppendContract {

        Appends() {
            super(StoreContractTests.this);
        }
    }

    /** Version ranges, snapshots and "not found": {@link LoadContract}. */
    @Nested
    @DisplayName("loads")
    class Loads extends LoadContract {

        Loads() {
            super(StoreContractTests.this);
        }
    }

    /** Positions, paging and the head of the stream: {@link GlobalStreamContract}. */
    @Nested
    @DisplayName("global stream")
    class GlobalStream extends GlobalStreamContract {

        GlobalStream() {
            super(StoreContractTests.this);
        }
    }

    /** Identical re-saves and conflicts that store nothing: {@link IdempotencyContract}. */
    @Nested
    @DisplayName("idempotency and conflicts")
    class Idempotency extends IdempotencyContract {

        Idempotency() {
            super(StoreContractTests.this);
        }
    }

    /** Parallel writers on one aggregate and on many: {@link ConcurrencyContract}. */
    @Nested
    @DisplayName("concurrent writers")
    class ConcurrentWriters extends ConcurrencyContract {

        ConcurrentWriters() {
            super(StoreContractTests.this);
        }
    }

    /** Arguments refused with IllegalArgumentException: {@link BadInputContract}. */
    @Nested
    @DisplayName("bad input")
    class BadInput extends BadInputContract {

        BadInput() {
            super(StoreContractTests.this);
        }
    }
}
