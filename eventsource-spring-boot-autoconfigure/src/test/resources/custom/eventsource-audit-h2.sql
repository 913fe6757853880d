-- An application's own schema script beside the shipped one, written for the default table name like it.
CREATE TABLE IF NOT EXISTS eventsource_events_audit (
    id INT NOT NULL,
    CONSTRAINT eventsource_events_audit_pk PRIMARY KEY (id)
);
