/**
 * The JDBC {@link dev.eventsource.Store}: events in one table of a relational database (PostgreSQL, MySQL,
 * MariaDB or H2), through plain {@code java.sql} on a {@link javax.sql.DataSource}. Start with
 * {@link dev.eventsource.store.jdbc.JdbcStore#builder(javax.sql.DataSource)}; the schema scripts are in this
 * package's folder of the jar ({@code dev/eventsource/store/jdbc/schema-<platform>.sql}).
 *
 * <p><b>Owns</b> the events table, its schema (the checkpoints and snapshots tables included, since one script
 * creates them all), the append, load and global-stream protocols, and the snapshot table's store
 * ({@link dev.eventsource.store.jdbc.JdbcSnapshotStore}). <b>Imports</b> the API package and {@code dev.eventsource.internal}
 * only: never {@code dev.eventsource.subscription} (a store does not know its readers; the JDBC checkpoint store
 * lives in {@code dev.eventsource.subscription.jdbc}), a serializer, Micrometer or Spring.
 */
@NullMarked
package dev.eventsource.store.jdbc;

import org.jspecify.annotations.NullMarked;
