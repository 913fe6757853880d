-- eventsource JDBC event store, Flyway migration 0.6 for PostgreSQL:
-- operations and dead letters (the state columns of the checkpoints table and the dead letters table).
-- These are the statements of dev/eventsource/store/jdbc/migrate-v6-postgresql.sql, for the events table named
-- by the placeholder eventsource-table (spring.flyway.placeholders.eventsource-table: an unqualified name; the
-- tables, constraints and indexes beside it take it as their prefix). See "Flyway" in the README.

ALTER TABLE ${eventsource-table}_checkpoints ADD COLUMN IF NOT EXISTS state VARCHAR(16) NOT NULL DEFAULT 'RUNNING';
ALTER TABLE ${eventsource-table}_checkpoints ADD COLUMN IF NOT EXISTS operation VARCHAR(64);
ALTER TABLE ${eventsource-table}_checkpoints ADD COLUMN IF NOT EXISTS failed_position BIGINT;
ALTER TABLE ${eventsource-table}_checkpoints ADD COLUMN IF NOT EXISTS failure VARCHAR(2000);
ALTER TABLE ${eventsource-table}_checkpoints ADD COLUMN IF NOT EXISTS failed_at BIGINT;

CREATE TABLE IF NOT EXISTS ${eventsource-table}_dead_letters (
    id             BIGINT GENERATED ALWAYS AS IDENTITY,
    subscription   VARCHAR(255) NOT NULL,
    position       BIGINT       NOT NULL,
    aggregate_type VARCHAR(255) NOT NULL,
    aggregate_id   VARCHAR(255) NOT NULL,
    version        BIGINT       NOT NULL,
    event_type     VARCHAR(255) NOT NULL,
    failure        VARCHAR(2000) NOT NULL,
    recorded_at    BIGINT       NOT NULL,
    CONSTRAINT ${eventsource-table}_dead_letters_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS ${eventsource-table}_dead_letters_ix ON ${eventsource-table}_dead_letters (subscription, position);
