-- eventsource JDBC event store, Flyway migration 0.4 for MySQL 8.0.17+:
-- event revisions (the revision column).
-- These are the statements of dev/eventsource/store/jdbc/migrate-v4-mysql.sql, for the events table named
-- by the placeholder eventsource-table (spring.flyway.placeholders.eventsource-table: an unqualified name; the
-- tables, constraints and indexes beside it take it as their prefix). See "Flyway" in the README.

ALTER TABLE ${eventsource-table} ADD COLUMN revision INT NOT NULL DEFAULT 1;
