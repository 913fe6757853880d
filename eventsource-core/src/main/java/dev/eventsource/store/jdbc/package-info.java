/**
 * The JDBC {@link dev.eventsource.Store}: events in one table of a relational database (PostgreSQL, MySQL,
 * MariaDB or H2), through plain {@code java.sql} on a {@link javax.sql.DataSource}. Start with
 * {@link dev.eventsource.store.jdbc.JdbcStore#builder(javax.sql.DataSource)}; the schema scripts are in this
 * package's folder of the jar ({@code dev/eventsource/store/jdbc/schema-<platform>.sql}).
 */
@NullMarked
package dev.eventsource.store.jdbc;

import org.jspecify.annotations.NullMarked;
