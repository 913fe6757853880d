-- eventsource JDBC event store: migration of PostgreSQL tables of the v5 layout to the v6 layout of schema-postgresql.sql
-- (operations and dead letters). Default table name; replace eventsource_events with yours. Tables of
-- earlier layouts take migrate-v2-postgresql.sql, migrate-v3-postgresql.sql, migrate-v4-postgresql.sql and
-- migrate-v5-postgresql.sql first, as they need them (the start-up schema check names the scripts a database needs,
-- in order). No row is read or rewritten.
-- Every statement is idempotent.
-- eventsource_events_checkpoints gains the columns of a subscription's state (existing rows are RUNNING), the
-- operation waiting for its lease holder, and the event it last halted on.
-- eventsource_events_dead_letters: the events subscriptions passed over. Created empty.

ALTER TABLE eventsource_events_checkpoints ADD COLUMN IF NOT EXISTS state VARCHAR(16) NOT NULL DEFAULT 'RUNNING';
ALTER TABLE eventsource_events_checkpoints ADD COLUMN IF NOT EXISTS operation VARCHAR(64);
ALTER TABLE eventsource_events_checkpoints ADD COLUMN IF NOT EXISTS failed_position BIGINT;
ALTER TABLE eventsource_events_checkpoints ADD COLUMN IF NOT EXISTS failure VARCHAR(2000);
ALTER TABLE eventsource_events_checkpoints ADD COLUMN IF NOT EXISTS failed_at BIGINT;

CREATE TABLE IF NOT EXISTS eventsource_events_dead_letters (
    id             BIGINT GENERATED ALWAYS AS IDENTITY,
    subscription   VARCHAR(255) NOT NULL,
    position       BIGINT       NOT NULL,
    aggregate_type VARCHAR(255) NOT NULL,
    aggregate_id   VARCHAR(255) NOT NULL,
    version        BIGINT       NOT NULL,
    event_type     VARCHAR(255) NOT NULL,
    failure        VARCHAR(2000) NOT NULL,
    recorded_at    BIGINT       NOT NULL,
    CONSTRAINT eventsource_events_dead_letters_pk PRIMARY KEY (id)
);

CREATE INDEX IF NOT EXISTS eventsource_events_dead_letters_ix ON eventsource_events_dead_letters (subscription, position);
