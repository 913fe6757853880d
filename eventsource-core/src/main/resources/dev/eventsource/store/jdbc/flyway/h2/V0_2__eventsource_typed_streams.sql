-- eventsource JDBC event store, Flyway migration 0.2 for H2:
-- typed streams and command ids (the aggregate_type and command_id columns).
-- These are the statements of dev/eventsource/store/jdbc/migrate-v2-h2.sql, for the events table named
-- by the placeholder eventsource-table (spring.flyway.placeholders.eventsource-table: an unqualified name; the
-- tables, constraints and indexes beside it take it as their prefix). See "Flyway" in the README.

ALTER TABLE ${eventsource-table} ADD COLUMN IF NOT EXISTS aggregate_type VARCHAR(255) NOT NULL DEFAULT '';

ALTER TABLE ${eventsource-table} ALTER COLUMN aggregate_type DROP DEFAULT;

ALTER TABLE ${eventsource-table} ADD COLUMN IF NOT EXISTS command_id VARCHAR(255);
