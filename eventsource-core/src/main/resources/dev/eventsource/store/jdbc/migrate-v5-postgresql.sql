-- eventsource JDBC event store: migration of PostgreSQL tables of the v4 layout to the v5 layout of
-- schema-postgresql.sql (snapshots). Default table name; replace eventsource_events with yours. Tables of earlier
-- layouts take migrate-v2-postgresql.sql, migrate-v3-postgresql.sql and migrate-v4-postgresql.sql first, as they
-- need them (the start-up schema check names the scripts a database needs, in order). No row is read or
-- rewritten.
-- Every statement is idempotent.
-- eventsource_events_command_ix: finds a command id among an aggregate's events with one index lookup, for a
-- repository that loaded the aggregate from a snapshot and must know whether a repeated command's events are
-- older than it. Building it reads the events table once and blocks appends meanwhile; on a large table, create
-- it beforehand with CREATE INDEX CONCURRENTLY (outside a transaction), and this statement then finds it.
-- eventsource_events_snapshots: the latest snapshot of each aggregate, a cache (deleting its rows changes no
-- result). Created empty; repositories with snapshots turned on fill it as they take snapshots.

CREATE INDEX IF NOT EXISTS eventsource_events_command_ix ON eventsource_events (aggregate_id, command_id)
    WHERE command_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS eventsource_events_snapshots (
    aggregate_type VARCHAR(255) NOT NULL,
    aggregate_id   VARCHAR(255) NOT NULL,
    version        BIGINT       NOT NULL,
    fingerprint    VARCHAR(255) NOT NULL,
    revision       INT          NOT NULL,
    taken_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    payload        BYTEA NOT NULL,
    CONSTRAINT eventsource_events_snapshots_pk PRIMARY KEY (aggregate_type, aggregate_id)
);
