package dev.eventsource.autoconfigure.projection;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static dev.eventsource.autoconfigure.projection.ProjectionsTests.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL listener of a whole application, with {@code eventsource.jdbc.listener-connection-lifetime}: an
 * application whose projection never polls (poll interval of an hour) still projects every event another
 * application appends, while its listener gives its connection back to the Hikari pool every 300 ms and after the
 * server ended the listener's session twice.
 */
class ListenerConnectionApplicationTests {

    private static final String LISTENING_APPLICATION = "eventsource-listening-app";

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    private final EmbeddedPostgresServer.Database database = EmbeddedPostgresServer.shared().createDatabase("listener");

    @AfterEach
    void closeContexts() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
        PersonNames.HANDLED_BY.clear();
    }

    private ConfigurableApplicationContext run(String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + this.database.jdbcUrl(),
                "eventsource.scan.base-packages=dev.eventsource.autoconfigure.app", "spring.main.banner-mode=off",
                "eventsource.jdbc.initialize-schema=always"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ProjectionApplication.class)
            .web(WebApplicationType.NONE)
            .properties(all.toArray(String[]::new))
            .run();
        this.contexts.add(context);
        return context;
    }

    @Test
    void projectsAppendsOfAnotherApplicationThroughRecycledAndTerminatedListenerConnections() throws Exception {
        PersonNames.HANDLED_BY.clear();
        run("test.instance=listening", "eventsource.subscriptions.person-names.poll-interval=1h",
                "eventsource.jdbc.listener-connection-lifetime=300ms",
                "spring.datasource.hikari.data-source-properties.ApplicationName=" + LISTENING_APPLICATION);
        ConfigurableApplicationContext appending = run("test.instance=appending",
                "eventsource.subscriptions.person-names.enabled=false");
        Repository<Person> people = appending.<Repository<Person>>getBeanProvider(
                ResolvableType.forClassWithGenerics(Repository.class, Person.class)).getObject();

        Set<Integer> listenerSessions = new LinkedHashSet<>();
        for (int round = 0; round < 3; round++) {
            if (round > 0) {
                awaitTrue("the listener listens", () -> listenerSession() != 0);
                int session = listenerSession();
                listenerSessions.add(session);
                terminate(session);
            }
            for (int i = 0; i < 5; i++) {
                people.apply(new Person.Register("p-" + round + "-" + i, "Name"));
                Thread.sleep(150); // the listener gives its connection back between some of these appends
            }
            int expected = 5 * (round + 1);
            awaitTrue(expected + " projected", () -> PersonNames.HANDLED_BY.size() == expected);
        }

        assertThat(listenerSessions).hasSize(2);
        assertThat(Set.copyOf(PersonNames.HANDLED_BY.values())).containsExactly("listening");
    }

    /**
     * @return the backend of the listening application's session that listens, or 0: the one that ran the
     *     listener's statements last (it looks for unnumbered events every 50 ms; a subscription that reads may have
     *     run the same look a while ago)
     */
    private static int listenerSession() {
        try (Connection connection = EmbeddedPostgresServer.shared().postgresDatabase().getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     SELECT pid FROM pg_stat_activity WHERE application_name = ?
                     AND (query LIKE 'LISTEN %' OR query LIKE 'SELECT EXISTS (SELECT 1 FROM %')
                     ORDER BY query_start DESC LIMIT 1""")) {
            select.setString(1, LISTENING_APPLICATION);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection connection = EmbeddedPostgresServer.shared().postgresDatabase().getConnection();
             PreparedStatement kill = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            kill.setInt(1, pid);
            kill.execute();
        }
    }
}
