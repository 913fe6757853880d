package dev.eventsource.store.jdbc;

import org.jspecify.annotations.Nullable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link JdbcStore} finds missing in its database: tables that do not exist, and columns missing from tables
 * that do (a table created by an earlier version of eventsource). Get one with {@link JdbcStore#verifySchema}.
 *
 * <p>Each table is probed with one {@code SELECT * FROM <table> WHERE 1 = 0}: the database resolves the name exactly
 * as it resolves the store's own statements (schema qualification, search path, case folding of unquoted names),
 * and the result's metadata lists the columns without reading a row.
 */
public final class JdbcSchemaCheck {

    /**
     * Columns the events table must have. The single list of them: a column added by a schema version goes here, and
     * a table without it is reported with the migration script.
     */
    public static final List<String> REQUIRED_EVENT_COLUMNS = List.of("position", "aggregate_type",
            "aggregate_id", "version", "type", "revision", "occurred_at", "payload", "metadata", "command_id");

    /**
     * Columns the events table must have on PostgreSQL besides {@link #REQUIRED_EVENT_COLUMNS}: {@code id}, the
     * insertion order by which committed events are numbered (schema version 3).
     */
    public static final List<String> REQUIRED_POSTGRESQL_EVENT_COLUMNS = List.of("id");

    /** Columns the checkpoints table must have: those of the first version, then {@link #V6_CHECKPOINT_COLUMNS}. */
    public static final List<String> REQUIRED_CHECKPOINT_COLUMNS = List.of("subscription", "position", "lease_owner",
            "lease_until", "state", "operation", "failed_position", "failure", "failed_at");

    /** Columns schema version 6 added to the checkpoints table: a subscription's state, operation and last halt. */
    public static final List<String> V6_CHECKPOINT_COLUMNS = List.of("state", "operation", "failed_position",
            "failure", "failed_at");

    /**
     * Columns the dead letters table must have (schema version 6); checked with the checkpoints table, as
     * subscriptions use both.
     */
    public static final List<String> REQUIRED_DEAD_LETTER_COLUMNS = List.of("id", "subscription", "position",
            "aggregate_type", "aggregate_id", "version", "event_type", "failure", "recorded_at");

    /**
     * Columns the snapshots table must have (schema version 5). The table is always checked, whether or not a
     * repository takes snapshots: it is part of the layout that {@link JdbcStore#createSchema()} and the schema
     * scripts create, and the v5 migration that adds it also adds the index that finds repeated commands.
     */
    public static final List<String> REQUIRED_SNAPSHOT_COLUMNS = List.of("aggregate_type", "aggregate_id", "version",
            "fingerprint", "revision", "taken_at", "payload");

    /** Columns the lock table (MySQL, MariaDB and H2) must have. */
    public static final List<String> REQUIRED_LOCK_COLUMNS = List.of("id");

    /** The folder of the shipped scripts in the eventsource-core jar. */
    private static final String SCRIPTS = "dev/eventsource/store/jdbc/";

    /** Undefined table or schema: PostgreSQL, MySQL/MariaDB and H2 (which also numbers its variants 42S03, 42S04). */
    private static final Set<String> MISSING_STATES = Set.of("42P01", "3F000", "42S02", "42S03", "42S04", "90079");

    /** Unknown table (1146) or database (1049) on MySQL/MariaDB; table or schema not found on H2. */
    private static final Set<Integer> MISSING_CODES = Set.of(1146, 1049, 42102, 42103, 42104, 90079);

    private final String platform;
    private final String eventsTable;
    private final String snapshotTable;
    private final String checkpointTable;
    private final String deadLetterTable;
    private final List<String> missingTables;
    private final Map<String, List<String>> missingColumns;

    private JdbcSchemaCheck(String platform, TableName table, List<String> missingTables,
                            Map<String, List<String>> missingColumns) {
        this.platform = platform;
        this.eventsTable = table.qualified();
        this.snapshotTable = table.snapshotTable();
        this.checkpointTable = table.checkpointTable();
        this.deadLetterTable = table.deadLetterTable();
        this.missingTables = List.copyOf(missingTables);
        this.missingColumns = Collections.unmodifiableMap(new LinkedHashMap<>(missingColumns));
    }

    /**
     * Probes the tables of a store.
     *
     * @param checkpoints whether to probe the checkpoints table too
     * @throws JdbcStoreException when the database cannot be reached or refuses a probe for another reason than a
     *     missing table (for example a missing privilege)
     */
    static JdbcSchemaCheck run(DataSource dataSource, TableName table, JdbcDialect dialect, boolean checkpoints) {
        Map<String, List<String>> required = new LinkedHashMap<>();
        if (dialect == JdbcDialect.POSTGRESQL) {
            List<String> columns = new ArrayList<>(REQUIRED_EVENT_COLUMNS);
            columns.addAll(REQUIRED_POSTGRESQL_EVENT_COLUMNS);
            required.put(table.qualified(), List.copyOf(columns));
        } else {
            required.put(table.qualified(), REQUIRED_EVENT_COLUMNS);
        }
        if (dialect != JdbcDialect.POSTGRESQL) {
            required.put(table.lockTable(), REQUIRED_LOCK_COLUMNS);
        }
        required.put(table.snapshotTable(), REQUIRED_SNAPSHOT_COLUMNS);
        if (checkpoints) {
            required.put(table.checkpointTable(), REQUIRED_CHECKPOINT_COLUMNS);
            required.put(table.deadLetterTable(), REQUIRED_DEAD_LETTER_COLUMNS);
        }
        List<String> missingTables = new ArrayList<>();
        Map<String, List<String>> missingColumns = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            String platform = dialect.platform();
            if (dialect == JdbcDialect.MYSQL && connection.getMetaData().getDatabaseProductName()
                    .toLowerCase(Locale.ROOT).contains("mariadb")) {
                platform = "mariadb";
            }
            boolean autoCommit = connection.getAutoCommit();
            try {
                for (Map.Entry<String, List<String>> entry : required.entrySet()) {
                    Set<String> columns = columns(connection, entry.getKey(), autoCommit);
                    if (columns == null) {
                        missingTables.add(entry.getKey());
                        continue;
                    }
                    List<String> absent = entry.getValue().stream().filter((column) -> !columns.contains(column))
                            .toList();
                    if (!absent.isEmpty()) {
                        missingColumns.put(entry.getKey(), absent);
                    }
                }
            } finally {
                if (!autoCommit) {
                    // End the probes' transaction (its snapshot, and on PostgreSQL the abort after a missing table).
                    connection.rollback();
                }
            }
            return new JdbcSchemaCheck(platform, table, missingTables, missingColumns);
        } catch (SQLException e) {
            throw new JdbcStoreException("Cannot check the tables of the event store " + table + " on "
                    + dialect.platform() + ": " + e.getMessage(), e);
        }
    }

    /** @return the table's columns in lower case, or null when the table does not exist */
    private static @Nullable Set<String> columns(Connection connection, String table, boolean autoCommit)
            throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData metaData = rows.getMetaData();
            Set<String> columns = new LinkedHashSet<>();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                columns.add(metaData.getColumnName(i).toLowerCase(Locale.ROOT));
            }
            return columns;
        } catch (SQLException e) {
            if (MISSING_STATES.contains(e.getSQLState()) || MISSING_CODES.contains(e.getErrorCode())) {
                if (!autoCommit) {
                    connection.rollback();
                }
                return null;
            }
            throw e;
        }
    }

    /** @return whether every table exists with every required column */
    public boolean isComplete() {
        return missingTables.isEmpty() && missingColumns.isEmpty();
    }

    /** @return the tables that do not exist, as the store names them (possibly schema-qualified) */
    public List<String> missingTables() {
        return missingTables;
    }

    /**
     * Returns the missing tables that the {@linkplain #schemaScript() schema script} creates, leaving out the one a
     * {@linkplain #migrationScripts() migration script} adds to an existing layout: the snapshots table, missing
     * beside an events table of the v4 layout.
     *
     * @return the tables to create, as the store names them
     */
    public List<String> tablesToCreate() {
        return missingTables.stream().filter(name -> !(name.equals(snapshotTable) && missingSnapshotTableOfOlderLayout())
                && !(name.equals(deadLetterTable) && missingDeadLetterTableOfOlderLayout())).toList();
    }

    /**
     * @return whether tables exist in a layout of an earlier version, which {@link #migrationScripts()} bring to
     *     the current one: the events table lacks columns, or exists without the snapshots table
     */
    public boolean needsMigration() {
        return !missingColumns.isEmpty() || missingSnapshotTableOfOlderLayout() || missingDeadLetterTableOfOlderLayout();
    }

    private boolean missingDeadLetterTableOfOlderLayout() {
        return missingTables.contains(deadLetterTable) && !missingTables.contains(eventsTable)
                && !missingTables.contains(checkpointTable);
    }

    private boolean missingSnapshotTableOfOlderLayout() {
        return missingTables.contains(snapshotTable) && !missingTables.contains(eventsTable);
    }

    /** @return the columns missing from tables that exist, by table, in lower case */
    public Map<String, List<String>> missingColumns() {
        return missingColumns;
    }

    /** @return the database platform: {@code postgresql}, {@code mysql}, {@code mariadb} or {@code h2} */
    public String platform() {
        return platform;
    }

    /**
     * Names the shipped script that creates the tables of this platform (for the default table name).
     *
     * @return its path in the eventsource-core jar, such as {@code dev/eventsource/store/jdbc/schema-h2.sql}
     */
    public String schemaScript() {
        return SCRIPTS + "schema-" + platform + ".sql";
    }

    /**
     * Names the first shipped script that brings tables created by an earlier version towards the current layout;
     * {@link #migrationScripts()} lists every one to run.
     *
     * @return its path in the eventsource-core jar, such as {@code dev/eventsource/store/jdbc/migrate-v2-h2.sql}
     */
    public String migrationScript() {
        return migrationScripts().get(0);
    }

    /**
     * Names the shipped scripts that bring the tables, as found, to the current layout, in the order to run them:
     * {@code migrate-v2-<platform>.sql} for an events table of the first version (it lacks {@code aggregate_type}
     * and {@code command_id}), then on PostgreSQL {@code migrate-v3-postgresql.sql} for a table numbered by the
     * append lock (it lacks {@code id}), then {@code migrate-v4-<platform>.sql} for a table without event revisions
     * (it lacks {@code revision}), then {@code migrate-v5-<platform>.sql} for a database without the snapshots table
     * (which also adds the index that finds repeated commands), then {@code migrate-v6-<platform>.sql} for a
     * checkpoints table without the state columns or a database without the dead letters table.
     *
     * @return the paths in the eventsource-core jar; the v2 script alone when nothing is missing that a migration
     *     adds
     */
    public List<String> migrationScripts() {
        List<String> missing = missingColumns.entrySet().stream().filter(entry -> !entry.getKey().equals(snapshotTable)
                        && !entry.getKey().equals(deadLetterTable))
                .flatMap(entry -> entry.getValue().stream().filter(column -> !(entry.getKey().equals(checkpointTable)
                        && V6_CHECKPOINT_COLUMNS.contains(column))))
                .toList();
        boolean v6 = missingDeadLetterTableOfOlderLayout() || missingColumns.getOrDefault(checkpointTable, List.of())
                .stream().anyMatch(V6_CHECKPOINT_COLUMNS::contains);
        boolean v3 = platform.equals("postgresql") && missing.contains("id");
        boolean v4 = missing.contains("revision");
        boolean v5 = missingSnapshotTableOfOlderLayout();
        List<String> scripts = new ArrayList<>();
        // Any other missing column (the v2 ones, or one dropped by hand) takes the v2 script first.
        if ((!v3 && !v4 && !v5 && !v6) || missing.stream().anyMatch(column -> !(column.equals("revision")
                || v3 && column.equals("id")))) {
            scripts.add(SCRIPTS + "migrate-v2-" + platform + ".sql");
        }
        if (v3) {
            scripts.add(SCRIPTS + "migrate-v3-postgresql.sql");
        }
        if (v4) {
            scripts.add(SCRIPTS + "migrate-v4-" + platform + ".sql");
        }
        if (v5) {
            scripts.add(SCRIPTS + "migrate-v5-" + platform + ".sql");
        }
        if (v6) {
            scripts.add(SCRIPTS + "migrate-v6-" + platform + ".sql");
        }
        return List.copyOf(scripts);
    }

    /** @return what is missing, in one sentence; empty when nothing is */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!missingTables.isEmpty()) {
            parts.add((missingTables.size() == 1 ? "table " : "tables ") + String.join(", ", missingTables)
                    + (missingTables.size() == 1 ? " does" : " do") + " not exist");
        }
        missingColumns.forEach((table, columns) -> parts.add("table " + table + " lacks "
                + (columns.size() == 1 ? "column " : "columns ") + String.join(", ", columns)));
        return String.join("; ", parts);
    }
}
