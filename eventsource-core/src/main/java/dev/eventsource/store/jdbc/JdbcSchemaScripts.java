package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runs schema scripts written for the default table {@value JdbcStore#DEFAULT_TABLE_NAME} on the tables of a store:
 * the shipped {@code schema-<platform>.sql} scripts, or an application's own scripts in the same form, for
 * start-up initialisation outside {@link JdbcStore#createSchema()} (Spring Boot's script initializer uses it).
 *
 * <p>A script is adapted by replacing the default table name with the configured one (the lock, checkpoint and
 * snapshot tables beside it, and constraint and index names, follow the same pattern), and for binary payloads the
 * type of the events table's payload column. Lines starting with {@code --} are comments; statements end with a
 * semicolon at the end of a line.
 *
 * <p>The versioned migrations for Flyway ({@value #FLYWAY_LOCATION}{@code <platform>}) and Liquibase
 * ({@value #LIQUIBASE_CHANGELOG}) take the table name as the placeholder or changelog parameter
 * {@value #TABLE_PLACEHOLDER} instead.
 */
public final class JdbcSchemaScripts {

    /** The folder of the shipped scripts in the eventsource-core jar. */
    public static final String FOLDER = "dev/eventsource/store/jdbc/";

    /** The shipped schema scripts, with Spring Boot's {@code @@platform@@} placeholder for the platform. */
    public static final String SCHEMA_LOCATION = "classpath:" + FOLDER + "schema-@@platform@@.sql";

    /** The folder of the Flyway migrations, followed by the platform ({@code postgresql}, {@code h2}, ...). */
    public static final String FLYWAY_LOCATION = FOLDER + "flyway/";

    /** The Liquibase changelog of every platform. */
    public static final String LIQUIBASE_CHANGELOG = FOLDER + "liquibase/db.changelog-eventsource.yaml";

    /** The name of the Flyway placeholder and Liquibase changelog parameter that holds the events table name. */
    public static final String TABLE_PLACEHOLDER = "eventsource-table";

    /** SQLStates of a reference to a column that does not exist: PostgreSQL, and H2 (as the SQL standard). */
    private static final Set<String> UNDEFINED_COLUMN = Set.of("42703", "42S22");

    private JdbcSchemaScripts() {
    }

    /**
     * Adapts a script written for the default table name and JSON payloads to a store's table and payload format.
     *
     * @param script the script's text
     * @param tableName the events table, optionally {@code schema.table}
     * @param format the payload format
     * @param dialect the database's dialect, for the type of binary payload columns
     * @return the adapted script
     * @throws InvalidTableNameException when the table name is not a valid identifier
     */
    public static String adapt(String script, String tableName, PayloadFormat format, JdbcDialect dialect) {
        Objects.requireNonNull(script, "script");
        return SchemaScript.adapt(script, TableName.of(tableName), Objects.requireNonNull(format, "format"),
                dialect.binaryPayloadType());
    }

    /**
     * Splits a script into its statements.
     *
     * @param script the script's text
     * @return the statements, in order, without comments and final semicolons
     */
    public static List<String> statements(String script) {
        return SchemaScript.split(Objects.requireNonNull(script, "script"));
    }

    /**
     * Runs statements on a connection, as {@link JdbcStore#createSchema()} does: on a connection in autocommit mode a
     * statement that fails because a column does not exist (an index on a column that an events table of an earlier
     * layout lacks) is passed over, leaving the table as it is for the start-up check to name the migration it
     * needs; any other failure stops the run.
     *
     * @param connection the connection
     * @param statements the statements, as {@link #statements} returns them
     * @throws SQLException when a statement fails
     */
    public static void execute(Connection connection, List<String> statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : statements) {
                try {
                    statement.execute(ddl);
                } catch (SQLException e) {
                    if (!UNDEFINED_COLUMN.contains(e.getSQLState()) || !connection.getAutoCommit()) {
                        throw e;
                    }
                }
            }
        }
    }
}
