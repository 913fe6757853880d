-- eventsource JDBC event store: migration of a MariaDB events table of the v3 layout (on MariaDB the same as v2) to
-- the v4 layout of schema-mariadb.sql (event revisions), for MariaDB 10.4+. Default table name; replace
-- eventsource_events with yours. A table of the first layout takes migrate-v2-mariadb.sql first (the start-up
-- schema check names the scripts a table needs, in order). Every statement is idempotent.
-- revision: the revision of the event's shape its payload was written in (@EventType(revision = ...)). Rows stored
-- before get 1, the revision of every event class before revisions existed; no payload is read or rewritten, and
-- the serializer upcasts revision 1 payloads to classes of later revisions as it reads them. The column is added
-- as the last one, in place (ALGORITHM=INSTANT): no copy of the table. It keeps its default: instances of the older
-- version still appending during the upgrade store revision 1, as their classes are.

ALTER TABLE eventsource_events ADD COLUMN IF NOT EXISTS revision INT NOT NULL DEFAULT 1;
