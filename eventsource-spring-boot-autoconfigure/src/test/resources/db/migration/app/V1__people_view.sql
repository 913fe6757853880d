-- The application's own migration: the read model the people-view projection writes to.
CREATE TABLE people_view (id VARCHAR(64) PRIMARY KEY, name VARCHAR(64) NOT NULL);
