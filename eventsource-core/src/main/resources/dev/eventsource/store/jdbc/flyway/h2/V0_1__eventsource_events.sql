-- eventsource JDBC event store, Flyway migration 0.1 for H2:
-- the first layout: the events and checkpoints tables (and the lock table, except on PostgreSQL).
-- These are the tables the first version of eventsource created, for the events table named
-- by the placeholder eventsource-table (spring.flyway.placeholders.eventsource-table: an unqualified name; the
-- tables, constraints and indexes beside it take it as their prefix). See "Flyway" in the README.

CREATE TABLE IF NOT EXISTS ${eventsource-table} (
    position     BIGINT GENERATED ALWAYS AS IDENTITY,
    aggregate_id VARCHAR(255)                NOT NULL,
    version      BIGINT                      NOT NULL,
    type         VARCHAR(255)                NOT NULL,
    occurred_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    payload      JSON                        NOT NULL,
    metadata     JSON                        NOT NULL,
    CONSTRAINT ${eventsource-table}_pk PRIMARY KEY (position),
    CONSTRAINT ${eventsource-table}_aggregate_version_uq UNIQUE (aggregate_id, version)
);

CREATE TABLE IF NOT EXISTS ${eventsource-table}_lock (
    id INT NOT NULL,
    CONSTRAINT ${eventsource-table}_lock_pk PRIMARY KEY (id)
);

INSERT INTO ${eventsource-table}_lock (id)
SELECT 1 FROM DUAL WHERE NOT EXISTS (SELECT id FROM ${eventsource-table}_lock WHERE id = 1);

CREATE TABLE IF NOT EXISTS ${eventsource-table}_checkpoints (
    subscription VARCHAR(255) NOT NULL,
    position     BIGINT       NOT NULL,
    lease_owner  VARCHAR(255),
    lease_until  BIGINT       NOT NULL,
    CONSTRAINT ${eventsource-table}_checkpoints_pk PRIMARY KEY (subscription)
);
