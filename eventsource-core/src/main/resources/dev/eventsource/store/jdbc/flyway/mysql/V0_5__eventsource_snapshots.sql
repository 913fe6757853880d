-- eventsource JDBC event store, Flyway migration 0.5 for MySQL 8.0.17+:
-- snapshots (the snapshots table and the (aggregate_id, command_id) index).
-- These are the statements of dev/eventsource/store/jdbc/migrate-v5-mysql.sql, for the events table named
-- by the placeholder eventsource-table (spring.flyway.placeholders.eventsource-table: an unqualified name; the
-- tables, constraints and indexes beside it take it as their prefix). See "Flyway" in the README.

CREATE INDEX ${eventsource-table}_command_ix ON ${eventsource-table} (aggregate_id, command_id);

CREATE TABLE IF NOT EXISTS ${eventsource-table}_snapshots (
    aggregate_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    aggregate_id   VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    version        BIGINT       NOT NULL,
    fingerprint    VARCHAR(255) NOT NULL,
    revision       INT          NOT NULL,
    taken_at       DATETIME(6) NOT NULL,
    payload        LONGBLOB NOT NULL,
    CONSTRAINT ${eventsource-table}_snapshots_pk PRIMARY KEY (aggregate_type, aggregate_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
