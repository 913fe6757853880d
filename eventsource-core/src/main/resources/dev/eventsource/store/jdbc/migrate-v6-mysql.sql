-- eventsource JDBC event store: migration of MySQL tables of the v5 layout to the v6 layout of schema-mysql.sql
-- (operations and dead letters). Default table name; replace eventsource_events with yours. Tables of earlier
-- layouts take migrate-v2-mysql.sql, migrate-v4-mysql.sql and migrate-v5-mysql.sql first, as they need them (the
-- start-up schema check names the scripts a database needs, in order). No row is read or rewritten.
-- MySQL has no ADD COLUMN IF NOT EXISTS: run this script once (Flyway and Liquibase do).
-- eventsource_events_checkpoints gains the columns of a subscription's state (existing rows are RUNNING), the
-- operation waiting for its lease holder, and the event it last halted on.
-- eventsource_events_dead_letters: the events subscriptions passed over. Created empty.

ALTER TABLE eventsource_events_checkpoints
    ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'RUNNING',
    ADD COLUMN operation VARCHAR(64),
    ADD COLUMN failed_position BIGINT,
    ADD COLUMN failure VARCHAR(2000),
    ADD COLUMN failed_at BIGINT;

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
