package dev.eventsource.store.jdbc;

import dev.eventsource.PayloadFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped SQL scripts of the JDBC store ({@code dev/eventsource/store/jdbc/*.sql} in the eventsource-core jar),
 * the one source of its DDL: {@link JdbcStore#createSchema()} runs {@code schema-<platform>.sql} statement by
 * statement, for its table name and payload format, exactly as a Flyway or Liquibase user runs the same file.
 *
 * <p>The scripts are written for the default table {@value JdbcStore#DEFAULT_TABLE_NAME} and JSON payloads. A
 * script is adapted by replacing the default table name with the store's (the lock, checkpoint and snapshot tables
 * beside it, and constraint and index names, follow the same pattern), and for binary payloads the type of the events
 * table's payload column (the snapshot table keeps its payload as bytes in every format).
 * Lines starting with {@code --} are comments; statements end with a semicolon at the end of a line.
 */
final class SchemaScript {

    private static final String FOLDER = "/dev/eventsource/store/jdbc/";
    /** The default table name, alone or followed by the suffix of a table or constraint named after it. */
    private static final Pattern NAME = Pattern.compile("\\b" + JdbcStore.DEFAULT_TABLE_NAME + "(?:_([a-z_]+))?\\b");
    private static final Pattern PAYLOAD_COLUMN = Pattern.compile("(?m)^(\\s*payload\\s+)(JSONB|JSON)\\b");

    private SchemaScript() {
    }

    /**
     * Returns the statements of a shipped script, adapted to a table and a payload format.
     *
     * @param name the script's file name, such as {@code schema-postgresql.sql}
     * @param table the events table
     * @param format the payload format
     * @param binaryType the payload column's type for binary payloads
     * @return the statements, in order, without comments and final semicolons
     */
    static List<String> statements(String name, TableName table, PayloadFormat format, String binaryType) {
        return split(adapt(read(name), table, format, binaryType));
    }

    /** @return the statements of a script, in order, without comments and final semicolons */
    static List<String> split(String script) {
        StringBuilder sql = new StringBuilder();
        for (String line : script.replace("\r\n", "\n").split("\n")) {
            if (!line.stripLeading().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";\\s*\n")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return List.copyOf(statements);
    }

    /** @return the script with the store's table and constraint names and payload column type */
    static String adapt(String script, TableName table, PayloadFormat format, String binaryType) {
        Matcher names = NAME.matcher(script);
        StringBuilder adapted = new StringBuilder();
        while (names.find()) {
            String suffix = names.group(1);
            String name;
            if (suffix == null) {
                name = table.qualified();
            } else if (suffix.equals("lock")) {
                name = table.lockTable();
            } else if (suffix.equals("checkpoints")) {
                name = table.checkpointTable();
            } else if (suffix.equals("snapshots")) {
                name = table.snapshotTable();
            } else if (suffix.equals("dead_letters")) {
                name = table.deadLetterTable();
            } else {
                name = table.constraint(suffix);
            }
            names.appendReplacement(adapted, Matcher.quoteReplacement(name));
        }
        names.appendTail(adapted);
        if (format == PayloadFormat.JSON) {
            return adapted.toString();
        }
        return PAYLOAD_COLUMN.matcher(adapted).replaceAll("$1" + Matcher.quoteReplacement(binaryType));
    }

    private static String read(String name) {
        try (InputStream in = SchemaScript.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("The script " + FOLDER + name + " is missing from the"
                        + " eventsource-core jar; the jar is damaged or incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the script " + FOLDER + name + " failed", e);
        }
    }
}
