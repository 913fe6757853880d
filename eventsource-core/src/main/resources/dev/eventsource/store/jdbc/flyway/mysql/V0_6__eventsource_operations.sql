-- eventsource JDBC event store, Flyway migration 0.6 for MySQL 8.0.17+:
-- operations and dead letters (the state columns of the checkpoints table and the dead letters table).
-- These are the statements of dev/eventsource/store/jdbc/migrate-v6-mysql.sql, for the events table named
-- by the placeholder eventsource-table (spring.flyway.placeholders.eventsource-table: an unqualified name; the
-- tables, constraints and indexes beside it take it as their prefix). See "Flyway" in the README.

ALTER TABLE ${eventsource-table}_checkpoints
    ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'RUNNING',
    ADD COLUMN operation VARCHAR(64),
    ADD COLUMN failed_position BIGINT,
    ADD COLUMN failure VARCHAR(2000),
    ADD COLUMN failed_at BIGINT;

CREATE TABLE IF NOT EXISTS ${eventsource-table}_dead_letters (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    subscription   VARCHAR(255) NOT NULL,
    position       BIGINT       NOT NULL,
    aggregate_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    aggregate_id   VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    version        BIGINT       NOT NULL,
    event_type     VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,
    failure        VARCHAR(2000) NOT NULL,
    recorded_at    BIGINT       NOT NULL,
    CONSTRAINT ${eventsource-table}_dead_letters_pk PRIMARY KEY (id),
    INDEX ${eventsource-table}_dead_letters_ix (subscription, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
