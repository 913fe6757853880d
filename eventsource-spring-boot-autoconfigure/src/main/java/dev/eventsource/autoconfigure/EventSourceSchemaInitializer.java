package dev.eventsource.autoconfigure;

import dev.eventsource.PayloadFormat;
import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcSchemaScripts;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.jdbc.datasource.init.DatabasePopulatorUtils;
import org.springframework.jdbc.datasource.init.ScriptStatementFailedException;
import org.springframework.jdbc.datasource.init.UncategorizedScriptException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Creates the event store's tables at start-up from SQL scripts ({@code eventsource.jdbc.schema-locations}, by
 * default the {@code schema-<platform>.sql} scripts of the eventsource-core jar), as
 * {@code eventsource.jdbc.initialize-schema} says: {@code embedded} (the default) only in an embedded database,
 * {@code always}, or {@code never}. Each script is written for the default table name and JSON payloads and runs
 * adapted to {@code eventsource.jdbc.table-name} and the serializer's payload format.
 *
 * <p>A {@link DataSourceScriptDatabaseInitializer}, so Spring Boot orders it as its own script initializers: after
 * Flyway and Liquibase (whose migrations may create the tables), and before every bean that depends on database
 * initialization, the JDBC store among them.
 */
public class EventSourceSchemaInitializer extends DataSourceScriptDatabaseInitializer {

    private final String tableName;

    private final PayloadFormat payloadFormat;

    private final @Nullable JdbcDialect dialect;

    private boolean initialized;

    EventSourceSchemaInitializer(DataSource dataSource, DatabaseInitializationSettings settings, String tableName,
            PayloadFormat payloadFormat, @Nullable JdbcDialect dialect) {
        super(dataSource, settings);
        this.tableName = tableName;
        this.payloadFormat = payloadFormat;
        this.dialect = dialect;
    }

    /**
     * Creates the initializer of the events' DataSource. The platform and the scripts are resolved only when the
     * mode lets the initializer run, so that {@code never} (or {@code embedded} on a server) opens no connection
     * beyond Boot's embedded-database check.
     */
    static EventSourceSchemaInitializer of(DataSource dataSource, EventSourceProperties.Jdbc jdbc,
            PayloadFormat payloadFormat) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setMode(jdbc.getInitializeSchema());
        settings.setContinueOnError(false);
        settings.setEncoding(StandardCharsets.UTF_8);
        JdbcDialect dialect = jdbc.dialect();
        if (runs(dataSource, jdbc.getInitializeSchema())) {
            String platform = platform(dataSource, jdbc.getPlatform());
            settings.setSchemaLocations(new PlatformPlaceholderDatabaseDriverResolver()
                .resolveAll(platform, jdbc.getSchemaLocations().toArray(new String[0])));
            if (dialect == null) {
                dialect = JdbcDialect.detect(dataSource);
            }
        }
        else {
            settings.setSchemaLocations(List.of());
        }
        return new EventSourceSchemaInitializer(dataSource, settings, jdbc.getTableName(), payloadFormat, dialect);
    }

    private static boolean runs(DataSource dataSource, DatabaseInitializationMode mode) {
        if (mode == DatabaseInitializationMode.EMBEDDED) {
            try {
                return EmbeddedDatabaseConnection.isEmbedded(dataSource);
            }
            catch (RuntimeException ex) {
                // As Boot's own initializer: a database that cannot be asked is no embedded one; the start-up
                // check of the store then says what is wrong with it.
                return false;
            }
        }
        return mode == DatabaseInitializationMode.ALWAYS;
    }

    /** Names the platform as the scripts are named: the configured one, else the database's, MariaDB told apart. */
    private static String platform(DataSource dataSource, @Nullable String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim().toLowerCase(Locale.ROOT);
        }
        JdbcDialect dialect = JdbcDialect.detect(dataSource);
        if (dialect == JdbcDialect.MYSQL) {
            try (Connection connection = dataSource.getConnection()) {
                if (connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("mariadb")) {
                    return "mariadb";
                }
            }
            catch (SQLException ex) {
                throw new UncategorizedScriptException("Cannot read the database product name", ex);
            }
        }
        return dialect.platform();
    }

    @Override
    public boolean initializeDatabase() {
        this.initialized = super.initializeDatabase();
        return this.initialized;
    }

    /**
     * Runs each script adapted to the table name and payload format, statement by statement, passing over an
     * index on a column that a table of an earlier layout lacks: the start-up check then names the migration.
     */
    @Override
    protected void runScripts(Scripts scripts) {
        JdbcDialect dialect = Objects.requireNonNull(this.dialect, "dialect");
        for (Resource resource : scripts) {
            List<String> statements = JdbcSchemaScripts.statements(
                    JdbcSchemaScripts.adapt(read(resource), this.tableName, this.payloadFormat, dialect));
            DatabasePopulatorUtils.execute((connection) -> {
                for (int i = 0; i < statements.size(); i++) {
                    try {
                        JdbcSchemaScripts.execute(connection, List.of(statements.get(i)));
                    }
                    catch (SQLException ex) {
                        throw new ScriptStatementFailedException(statements.get(i), i + 1,
                                new EncodedResource(resource, StandardCharsets.UTF_8), ex);
                    }
                }
            }, getDataSource());
        }
    }

    private static String read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncategorizedScriptException("Cannot read the schema script " + resource, ex);
        }
    }

    /** @return whether the scripts ran at start-up */
    public boolean isInitialized() {
        return this.initialized;
    }
}
