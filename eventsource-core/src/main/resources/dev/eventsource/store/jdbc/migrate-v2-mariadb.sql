-- eventsource JDBC event store: migration of an events table created by eventsource 0.1 (the first layout) to
-- the v2 layout of schema-mariadb.sql, for MariaDB (default table name; replace eventsource_events with yours).
-- Every statement is idempotent.
-- aggregate_type: each stream's aggregate type. Rows stored before it get '' (untyped). An untyped stream is read
-- by the repository whose aggregate handles every event type in it (the first load then sees which aggregate it
-- belongs to), and new events appended to it carry the type. To type old streams at once instead, run for each
-- aggregate type an UPDATE that names the types of the events that start its streams, for example:
--   UPDATE eventsource_events SET aggregate_type = 'Person' WHERE aggregate_type = '' AND aggregate_id IN
--     (SELECT aggregate_id FROM (SELECT aggregate_id FROM eventsource_events
--      WHERE version = 1 AND type IN ('PersonCreated')) AS firsts);
-- command_id: the id of the command that produced an event, for commands applied exactly once (null for old rows).

ALTER TABLE eventsource_events ADD COLUMN IF NOT EXISTS aggregate_type VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL DEFAULT '';

ALTER TABLE eventsource_events ALTER COLUMN aggregate_type DROP DEFAULT;

ALTER TABLE eventsource_events ADD COLUMN IF NOT EXISTS command_id VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
