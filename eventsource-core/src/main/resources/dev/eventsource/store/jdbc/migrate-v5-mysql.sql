-- eventsource JDBC event store: migration of MySQL tables of the v4 layout to the v5 layout of schema-mysql.sql
-- (snapshots). Default table name; replace eventsource_events with yours. Tables of earlier layouts take
-- migrate-v2-mysql.sql and migrate-v4-mysql.sql first, as they need them (the start-up schema check names the
-- scripts a database needs, in order). No row is read or rewritten.
-- MySQL has no CREATE INDEX IF NOT EXISTS: run this script once (Flyway and Liquibase do).
-- eventsource_events_command_ix: finds a command id among an aggregate's events with one index lookup, for a
-- repository that loaded the aggregate from a snapshot and must know whether a repeated command's events are
-- older than it. Building it reads the events table once (online: appends go on meanwhile).
-- eventsource_events_snapshots: the latest snapshot of each aggregate, a cache (deleting its rows changes no
-- result). Created empty; repositories with snapshots turned on fill it as they take snapshots.

CREATE INDEX eventsource_events_command_ix ON eventsource_events (aggregate_id, command_id);

CREATE TABLE IF NOT EXISTS eventsource_events_snapshots (
    aggregate_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    aggregate_id   VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    version        BIGINT       NOT NULL,
    fingerprint    VARCHAR(255) NOT NULL,
    revision       INT          NOT NULL,
    taken_at       DATETIME(6) NOT NULL,
    payload        LONGBLOB NOT NULL,
    CONSTRAINT eventsource_events_snapshots_pk PRIMARY KEY (aggregate_type, aggregate_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
