-- eventsource JDBC event store schema for MySQL 8.0.17+ (default table name, JSON payloads).
-- Copy this script into a Flyway or Liquibase migration, or let JdbcStore.createSchema() run it (it runs
-- the same statements for the configured table name and payload format). Every statement is idempotent.
-- eventsource_events_checkpoints holds each subscription's checkpoint (last position processed) and lease
-- (which instance processes it, until when, in epoch milliseconds).
-- Columns: position is the global position (identity, in commit order because appends take a lock),
-- aggregate_type is the stream's aggregate type (every event of an aggregate id has the same one), command_id
-- the id of the command that produced the event (null when it had none);
-- revision is the revision of the event's shape its payload was written in (from 1; events stored before
-- revisions existed have 1);
-- aggregate_type, aggregate_id, type and command_id hold at most 255 characters, occurred_at is UTC, microsecond precision,
-- payload is for the JSON payload format (for PayloadFormat.BINARY use LONGBLOB instead).
-- Appends serialise on a row lock of eventsource_events_lock, whose single row (id 1) must exist.
-- For MariaDB use schema-mariadb.sql (its binary no-pad collation has another name).
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
    position     BIGINT       NOT NULL AUTO_INCREMENT,
    aggregate_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    aggregate_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    version      BIGINT       NOT NULL,
    type         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    revision     INT          NOT NULL DEFAULT 1,
    occurred_at  DATETIME(6)  NOT NULL,
    payload      JSON         NOT NULL,
    metadata     JSON         NOT NULL,
    command_id   VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin,
    CONSTRAINT eventsource_events_pk PRIMARY KEY (position),
    CONSTRAINT eventsource_events_aggregate_version_uq UNIQUE (aggregate_id, version),
    INDEX eventsource_events_command_ix (aggregate_id, command_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS eventsource_events_lock (
    id INT NOT NULL,
    CONSTRAINT eventsource_events_lock_pk PRIMARY KEY (id)
) ENGINE = InnoDB;

INSERT INTO eventsource_events_lock (id)
SELECT 1 FROM DUAL WHERE NOT EXISTS (SELECT id FROM eventsource_events_lock WHERE id = 1);

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
) ENGINE = InnoDB;

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

CREATE TABLE IF NOT EXISTS eventsource_events_dead_letters (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    subscription   VARCHAR(255) NOT NULL,
    position       BIGINT       NOT NULL,
    aggregate_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    aggregate_id   VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    version        BIGINT       NOT NULL,
    event_type     VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    failure        VARCHAR(2000) NOT NULL,
    recorded_at    BIGINT       NOT NULL,
    CONSTRAINT eventsource_events_dead_letters_pk PRIMARY KEY (id),
    INDEX eventsource_events_dead_letters_ix (subscription, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
