-- spring.sql.init's own script, for the test that shows it still runs beside the event store's initializer.
CREATE TABLE IF NOT EXISTS sql_init_marker (id INT PRIMARY KEY);
