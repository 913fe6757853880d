package dev.eventsource.store.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dialect detection and table-name rules, which need no database. */
class JdbcDialectTests {

    @Test
    void detectsEachSupportedProductName() {
        assertThat(JdbcDialect.forProductName("PostgreSQL")).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(JdbcDialect.forProductName("MySQL")).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.forProductName("MariaDB")).isEqualTo(JdbcDialect.MYSQL);
        assertThat(JdbcDialect.forProductName("H2")).isEqualTo(JdbcDialect.H2);
    }

    @Test
    void unsupportedDatabaseIsAClearErrorNamingIt() {
        assertThatThrownBy(() -> JdbcDialect.forProductName("Microsoft SQL Server"))
                .isInstanceOf(JdbcStoreException.class)
                .hasMessageContaining("Unsupported database 'Microsoft SQL Server'")
                .hasMessageContaining("PostgreSQL, MySQL, MariaDB and H2");
    }

    @Test
    void platformsNameTheSchemaScripts() {
        assertThat(JdbcDialect.POSTGRESQL.platform()).isEqualTo("postgresql");
        assertThat(JdbcDialect.MYSQL.platform()).isEqualTo("mysql");
        assertThat(JdbcDialect.H2.platform()).isEqualTo("h2");
        for (JdbcDialect dialect : JdbcDialect.values()) {
            assertThat(JdbcStore.class.getResource("schema-" + dialect.platform() + ".sql")).isNotNull();
        }
        assertThat(JdbcStore.class.getResource("schema-mariadb.sql")).isNotNull();
    }

    @Test
    void validTableNamesAreKeptAsGiven() {
        assertThat(TableName.of("eventsource_events").qualified()).isEqualTo("eventsource_events");
        assertThat(TableName.of("App_1.Events").schema()).isEqualTo("App_1");
        assertThat(TableName.of("App_1.Events").table()).isEqualTo("Events");
        assertThat(TableName.of("_x").lockTable()).isEqualTo("_x_lock");
        assertThat(TableName.of("app.events").constraint("pk")).isEqualTo("events_pk");
        assertThat(TableName.of("e".repeat(40)).qualified()).hasSize(40);
    }

    @Test
    void notifyChannelIsTheLowerCaseNameOrAHashWithinSixtyThreeBytes() {
        assertThat(TableName.of("App.Events").notifyChannel()).isEqualTo("app.events");
        String longName = "s".repeat(63) + "." + "e".repeat(40);
        assertThat(TableName.of(longName).notifyChannel()).hasSizeLessThanOrEqualTo(63).startsWith("eventsource_")
                .isNotEqualTo(TableName.of("t".repeat(63) + "." + "e".repeat(40)).notifyChannel());
        assertThat(TableName.of("events").checkpointTable()).isEqualTo("events_checkpoints");
    }

    @Test
    void invalidTableNamesSayWhatIsWrong() {
        assertThatThrownBy(() -> TableName.of("a.b.c")).hasMessageContaining("more than one dot");
        assertThatThrownBy(() -> TableName.of("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> TableName.of("x; drop table y")).hasMessageContaining("'x; drop table y'")
                .hasMessageContaining("letter, digit or underscore");
        assertThatThrownBy(() -> TableName.of("e".repeat(41))).hasMessageContaining("at most 40");
        assertThatThrownBy(() -> TableName.of("s".repeat(64) + ".e")).hasMessageContaining("at most 63");
    }
}
