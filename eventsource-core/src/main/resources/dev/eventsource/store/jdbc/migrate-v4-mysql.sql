-- eventsource JDBC event store: migration of a MySQL events table of the v3 layout (on MySQL the same as v2) to the
-- v4 layout of schema-mysql.sql (event revisions), for MySQL 8.0.17+. Default table name; replace
-- eventsource_events with yours. A table of the first layout takes migrate-v2-mysql.sql first (the start-up schema
-- check names the scripts a table needs, in order).
-- MySQL has no ADD COLUMN IF NOT EXISTS: run this script once (Flyway and Liquibase do).
-- revision: the revision of the event's shape its payload was written in (@EventType(revision = ...)). Rows stored
-- before get 1, the revision of every event class before revisions existed; no payload is read or rewritten, and
-- the serializer upcasts revision 1 payloads to classes of later revisions as it reads them. The column is added
-- as the last one, in place (ALGORITHM=INSTANT): no copy of the table. It keeps its default: instances of the older
-- version still appending during the upgrade store revision 1, as their classes are.

ALTER TABLE eventsource_events ADD COLUMN revision INT NOT NULL DEFAULT 1;
