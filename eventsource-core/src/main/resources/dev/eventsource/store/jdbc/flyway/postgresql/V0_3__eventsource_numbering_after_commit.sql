-- eventsource JDBC event store, Flyway migration 0.3 for PostgreSQL:
-- positions numbered after commit (the id column and the unnumbered index).
-- These are the statements of dev/eventsource/store/jdbc/migrate-v3-postgresql.sql, for the events table named
-- by the placeholder eventsource-table (spring.flyway.placeholders.eventsource-table: an unqualified name; the
-- tables, constraints and indexes beside it take it as their prefix). See "Flyway" in the README.

ALTER TABLE ${eventsource-table} ALTER COLUMN position DROP IDENTITY IF EXISTS;

ALTER TABLE ${eventsource-table} ADD COLUMN IF NOT EXISTS id BIGINT GENERATED ALWAYS AS IDENTITY;

ALTER TABLE ${eventsource-table} DROP CONSTRAINT IF EXISTS ${eventsource-table}_pk;

ALTER TABLE ${eventsource-table} ADD CONSTRAINT ${eventsource-table}_pk PRIMARY KEY (id);

ALTER TABLE ${eventsource-table} ALTER COLUMN position DROP NOT NULL;

ALTER TABLE ${eventsource-table} DROP CONSTRAINT IF EXISTS ${eventsource-table}_position_uq;

ALTER TABLE ${eventsource-table} ADD CONSTRAINT ${eventsource-table}_position_uq UNIQUE (position);

CREATE INDEX IF NOT EXISTS ${eventsource-table}_unnumbered_ix ON ${eventsource-table} (id) WHERE position IS NULL;
