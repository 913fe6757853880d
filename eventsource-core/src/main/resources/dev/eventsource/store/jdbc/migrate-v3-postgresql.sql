-- eventsource JDBC event store: migration of a PostgreSQL events table of the v2 layout (numbered by the append
-- lock: position an identity column assigned at insert, every append holding one lock per table until it
-- committed) to the v3 layout of schema-postgresql.sql (numbered after commit: appends to different aggregates no
-- longer wait for each other). Default table name; replace eventsource_events with yours. A table of the first
-- layout takes migrate-v2-postgresql.sql first.
-- Stop every instance of the older version before running it: its appends would still take the table lock, which
-- is harmless, but its readers know nothing of unnumbered rows. Existing rows keep their positions, so the
-- checkpoints of subscriptions stay valid as they are. Adding the id column rewrites the table once (minutes for
-- tens of millions of rows; it holds an exclusive lock meanwhile), and dropping the identity frees the sequence.
-- Every statement can be run again after a failure part-way.

ALTER TABLE eventsource_events ALTER COLUMN position DROP IDENTITY IF EXISTS;

ALTER TABLE eventsource_events ADD COLUMN IF NOT EXISTS id BIGINT GENERATED ALWAYS AS IDENTITY;

ALTER TABLE eventsource_events DROP CONSTRAINT IF EXISTS eventsource_events_pk;

ALTER TABLE eventsource_events ADD CONSTRAINT eventsource_events_pk PRIMARY KEY (id);

ALTER TABLE eventsource_events ALTER COLUMN position DROP NOT NULL;

ALTER TABLE eventsource_events DROP CONSTRAINT IF EXISTS eventsource_events_position_uq;

ALTER TABLE eventsource_events ADD CONSTRAINT eventsource_events_position_uq UNIQUE (position);

CREATE INDEX IF NOT EXISTS eventsource_events_unnumbered_ix ON eventsource_events (id) WHERE position IS NULL;
