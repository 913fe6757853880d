-- eventsource JDBC event store: migration of a PostgreSQL events table of the v3 layout to the v4 layout of
-- schema-postgresql.sql (event revisions). Default table name; replace eventsource_events with yours. A table of
-- an earlier layout takes migrate-v2-postgresql.sql and migrate-v3-postgresql.sql first (the start-up schema check
-- names the scripts a table needs, in order). Every statement is idempotent.
-- revision: the revision of the event's shape its payload was written in (@EventType(revision = ...)). Rows stored
-- before get 1, the revision of every event class before revisions existed; no payload is read or rewritten, and
-- the serializer upcasts revision 1 payloads to classes of later revisions as it reads them. Adding a column with a
-- constant default rewrites no row (PostgreSQL 11+), so it takes a moment on a table of any size. The column keeps
-- its default: instances of the older version still appending during the upgrade store revision 1, as their
-- classes are.

ALTER TABLE eventsource_events ADD COLUMN IF NOT EXISTS revision INT NOT NULL DEFAULT 1;
