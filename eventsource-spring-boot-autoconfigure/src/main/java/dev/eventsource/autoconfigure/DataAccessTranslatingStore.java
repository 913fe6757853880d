package dev.eventsource.autoconfigure;

import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.SnapshotAndHistory;
import dev.eventsource.SnapshotStore;
import dev.eventsource.Store;
import dev.eventsource.store.jdbc.JdbcStoreException;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.function.Supplier;

/**
 * The store as the auto-configured repositories see it: every call goes to the context's {@link Store} bean (the
 * JDBC store, the memory store or the application's own), and a store failure, a {@link JdbcStoreException}, comes
 * out as Spring's {@link org.springframework.dao.DataAccessException} of the matching kind (see
 * {@link StoreFailureTranslator}). The library's own outcomes (concurrency conflicts, not found, invalid arguments)
 * pass unchanged. Subscriptions and the application's direct use of the {@code Store} bean are not translated.
 */
final class DataAccessTranslatingStore implements Store {

    private final Store delegate;

    private DataAccessTranslatingStore(Store delegate) {
        this.delegate = delegate;
    }

    /** Wraps a store; its signature names no spring-tx type, so that callers load without spring-tx. */
    static Store wrap(Store store) {
        return (store instanceof DataAccessTranslatingStore) ? store : new DataAccessTranslatingStore(store);
    }

    /** @return the store failures are translated from */
    Store delegate() {
        return this.delegate;
    }

    @Override
    public boolean save(String aggregateId, List<Record> records) {
        return translated(() -> this.delegate.save(aggregateId, records));
    }

    @Override
    public History load(String aggregateId, long fromVersion, long toVersion) {
        return translated(() -> this.delegate.load(aggregateId, fromVersion, toVersion));
    }

    @Override
    public History loadLatest(String aggregateId, long fromVersion, long toVersion) {
        return translated(() -> this.delegate.loadLatest(aggregateId, fromVersion, toVersion));
    }

    @Override
    public boolean hasCommand(String aggregateId, String commandId, long toVersion) {
        return translated(() -> this.delegate.hasCommand(aggregateId, commandId, toVersion));
    }

    @Override
    public @Nullable SnapshotAndHistory loadWithSnapshot(SnapshotStore snapshots, String aggregateType,
                                                         String aggregateId, boolean latest) {
        return translated(() -> this.delegate.loadWithSnapshot(snapshots, aggregateType, aggregateId, latest));
    }

    @Override
    public List<Record> readAll(long afterPosition, int limit) {
        return translated(() -> this.delegate.readAll(afterPosition, limit));
    }

    @Override
    public long lastPosition() {
        return translated(this.delegate::lastPosition);
    }

    private static <T> T translated(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (JdbcStoreException ex) {
            throw StoreFailureTranslator.translate(ex);
        }
    }

    @Override
    public String toString() {
        return this.delegate.toString();
    }
}
