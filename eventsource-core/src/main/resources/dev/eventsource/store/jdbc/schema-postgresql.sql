-- eventsource JDBC event store schema for PostgreSQL (default table name, JSON payloads).
-- Copy this script into a Flyway or Liquibase migration, or let JdbcStore.createSchema() run it (it runs
-- the same statements for the configured table name and payload format). Every statement is idempotent.
-- eventsource_events_checkpoints holds each subscription's checkpoint (last position processed) and lease
-- (which instance processes it, until when, in epoch milliseconds).
-- Columns: position is the global position, NULL until the event is committed and numbered: appends insert without
-- one and wait only for appends to the same aggregate (pg_advisory_xact_lock on the pair (table OID, hash of the
-- aggregate id)); reading the global stream first numbers the committed rows, in insertion order (id), in a short
-- transaction under the table's numbering lock, so positions increase in the order readers can see them, without
-- gaps. id is the insertion order (identity). aggregate_type is the stream's aggregate type (every event of an
-- aggregate id has the same one), command_id the id of the command that produced the event (null when it had none);
-- revision is the revision of the event's shape its payload was written in (from 1; events stored before
-- revisions existed have 1);
-- aggregate_type, aggregate_id, type and command_id hold at most 255 characters, occurred_at is UTC, microsecond precision,
-- payload is for the JSON payload format (for PayloadFormat.BINARY use BYTEA instead).
-- A numbering pass notifies the channel named like the table (lower case), so subscriptions that LISTEN wake.
-- eventsource_events_snapshots keeps the latest snapshot of each aggregate (a cache: deleting its rows changes
-- no result): version is the version of the last event folded into the state, fingerprint the shape of the
-- aggregate's state and revision the snapshot revision its class declared (a snapshot that does not match today's
-- class is ignored), taken_at UTC, payload the state as the serializer wrote it, kept as bytes whatever the payload
-- format (nothing queries inside it, and the bytes read are the bytes written).
-- eventsource_events_command_ix finds a command id among an aggregate's events (a repeated command whose events are
-- older than the aggregate's snapshot).
-- Since v6 the checkpoints table also keeps each subscription's state (RUNNING, PAUSED by an operator, HALTED on
-- an event its handler kept failing on), the operation an operator asked the lease holder to execute (skip,
-- reset:<position>, replay:<dead letter id>), and the event it last halted on (failed_position, failure, failed_at
-- in epoch milliseconds). eventsource_events_dead_letters keeps the events subscriptions passed over (dead-letter
-- policy, or a skip): coordinates and error only (the payload stays in the events table), recorded_at in epoch
-- milliseconds.

CREATE TABLE IF NOT EXISTS eventsource_events (
    position     BIGINT,
    id           BIGINT GENERATED ALWAYS AS IDENTITY,
    aggregate_type VARCHAR(255) NOT NULL,
    aggregate_id VARCHAR(255)             NOT NULL,
    version      BIGINT                   NOT NULL,
    type         VARCHAR(255)             NOT NULL,
    revision     INT                      NOT NULL DEFAULT 1,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    payload      JSONB                    NOT NULL,
    metadata     JSONB                    NOT NULL,
    command_id   VARCHAR(255),
    CONSTRAINT eventsource_events_pk PRIMARY KEY (id),
    CONSTRAINT eventsource_events_position_uq UNIQUE (position),
    CONSTRAINT eventsource_events_aggregate_version_uq UNIQUE (aggregate_id, version)
);

CREATE INDEX IF NOT EXISTS eventsource_events_command_ix ON eventsource_events (aggregate_id, command_id)
    WHERE command_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS eventsource_events_unnumbered_ix ON eventsource_events (id) WHERE position IS NULL;

CREATE TABLE IF NOT EXISTS eventsource_events_checkpoints (
    subscription VARCHAR(255) NOT NULL,
    position     BIGINT       NOT NULL,
    lease_owner  VARCHAR(255),
    lease_until  BIGINT       NOT NULL,
    state        VARCHAR(16)  NOT NULL DEFAULT 'RUNNING',
    operation    VARCHAR(64),
    failed_position BIGINT,
    failure      VARCHAR(2000),
    failed_at    BIGINT,
    CONSTRAINT eventsource_events_checkpoints_pk PRIMARY KEY (subscription)
);

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
