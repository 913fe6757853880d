package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.test.jdbc.EmbeddedPostgresServer;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Two DataSources, the events on embedded PostgreSQL beside the application's H2: which one the store, its schema
 * initializer and the checkpoints use, with and without {@link EventSourceDataSource}, and which transactions an
 * append joins and which transaction manager the subscriptions' batches take.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventSourceDataSourceTests {

    private final DataSource postgresql = EmbeddedPostgresServer.shared().createDatabase("qualified").dataSource();

    private final DataSource h2 = h2();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app");

    @Test
    void failsWithAnalysisWhenNeitherIsQualifiedNorPrimary() {
        this.contextRunner.withBean("events", DataSource.class, () -> this.postgresql)
            .withBean("application", DataSource.class, () -> this.h2)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(NoUniqueDataSourceException.class);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("2 DataSource beans (events, application)")
                    .contains("@dev.eventsource.autoconfigure.EventSourceDataSource");
            });
    }

    @Test
    void initializesTheQualifiedDataSourceAsIsNotThePrimary() {
        // The primary H2 is embedded, the qualified PostgreSQL is not: 'embedded' (the default) judges the qualified
        // one, creates nothing and the start-up check names the missing tables in PostgreSQL.
        this.contextRunner.with(this::qualifiedPostgreSql).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("do not exist in the postgresql database (eventsource.jdbc.initialize-schema is 'embedded'");
            assertThat(tables(this.h2)).isEmpty();
        });
    }

    @Test
    void storesTheEventsAndCheckpointsInTheQualifiedDataSource() {
        this.contextRunner.with(this::qualifiedPostgreSql)
            .withBean(StartUpChecksTests.Names.class)
            .withPropertyValues("eventsource.jdbc.initialize-schema=always")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                repository(context).apply(new Person.Register("p-1", "Ada"));
                assertThat(events(this.postgresql, "p-1")).isOne();
                assertThat(new JdbcTemplate(this.postgresql).queryForObject("SELECT COUNT(*) FROM"
                        + " information_schema.tables WHERE table_name = 'eventsource_events_checkpoints'",
                        Integer.class)).isOne();
                assertThat(tables(this.h2)).isEmpty();
            });
    }

    @Test
    void joinsTransactionsOfTheEventsDataSourceOnly() {
        this.contextRunner.with(this::qualifiedPostgreSql)
            .withPropertyValues("eventsource.jdbc.initialize-schema=always")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                Repository<Person> people = repository(context);
                JdbcTemplate readModel = new JdbcTemplate(this.h2);
                readModel.execute("CREATE TABLE people_view (id VARCHAR(64) PRIMARY KEY)");

                // A transaction of the application's DataSource: the append runs in a transaction of its own on
                // the events' DataSource and stays when the caller's transaction rolls back.
                TransactionTemplate application = new TransactionTemplate(new DataSourceTransactionManager(this.h2));
                assertThatIllegalStateException().isThrownBy(() -> application.executeWithoutResult((status) -> {
                    people.apply(new Person.Register("p-1", "Ada"));
                    readModel.update("INSERT INTO people_view (id) VALUES ('p-1')");
                    throw new IllegalStateException("roll back");
                }));
                assertThat(events(this.postgresql, "p-1")).isOne();
                assertThat(readModel.queryForObject("SELECT COUNT(*) FROM people_view", Integer.class)).isZero();

                // A transaction of the events' DataSource: the append joins it and rolls back with it.
                TransactionTemplate events = new TransactionTemplate(new DataSourceTransactionManager(this.postgresql));
                assertThatIllegalStateException().isThrownBy(() -> events.executeWithoutResult((status) -> {
                    people.apply(new Person.Register("p-2", "Grace"));
                    throw new IllegalStateException("roll back");
                }));
                assertThat(events(this.postgresql, "p-2")).isZero();
            });
    }

    @Test
    void runsSubscriptionBatchesInTheQualifiedTransactionManager(CapturedOutput output) {
        this.contextRunner.with(this::qualifiedPostgreSql)
            .withPropertyValues("eventsource.jdbc.initialize-schema=always",
                    "eventsource.subscriptions.bound-resources.poll-interval=50ms")
            .withBean("applicationTransactionManager", PlatformTransactionManager.class,
                    () -> new DataSourceTransactionManager(this.h2), (definition) -> definition.setPrimary(true))
            .withBean("eventsTransactionManager", PlatformTransactionManager.class,
                    () -> new DataSourceTransactionManager(this.postgresql), (definition) -> ((AbstractBeanDefinition)
                            definition).addQualifier(new AutowireCandidateQualifier(EventSourceTransactionManager.class)))
            .withBean(BoundResources.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                repository(context).apply(new Person.Register("p-1", "Ada"));
                BoundResources bound = context.getBean(BoundResources.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> !bound.seen.isEmpty());
                assertThat(bound.seen.get(0)).contains(this.postgresql).doesNotContain(this.h2);
                assertThat(output.getAll()).doesNotContain("checkpoints commit apart");
            });
    }

    @Test
    void warnsWhenSubscriptionBatchesRunInAnotherDataSourcesTransaction(CapturedOutput output) {
        this.contextRunner.with(this::qualifiedPostgreSql)
            .withPropertyValues("eventsource.jdbc.initialize-schema=always",
                    "eventsource.subscriptions.bound-resources.poll-interval=50ms")
            .withBean("applicationTransactionManager", PlatformTransactionManager.class,
                    () -> new DataSourceTransactionManager(this.h2))
            .withBean(BoundResources.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output.getAll()).contains("checkpoints commit apart from the read-model writes")
                    .contains("@EventSourceTransactionManager");
                repository(context).apply(new Person.Register("p-1", "Ada"));
                BoundResources bound = context.getBean(BoundResources.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> !bound.seen.isEmpty());
                assertThat(bound.seen.get(0)).contains(this.h2).doesNotContain(this.postgresql);
            });
    }

    /** A subscription projection that records the resources bound to the transaction its batch runs in. */
    @Projection("bound-resources")
    static class BoundResources {

        final List<Set<Object>> seen = new CopyOnWriteArrayList<>();

        @EventHandler
        void on(Person.Registered event) {
            this.seen.add(Set.copyOf(TransactionSynchronizationManager.getResourceMap().keySet()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Repository<Person> repository(AssertableApplicationContext context) {
        return (Repository<Person>) context
            .getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Person.class))
            .getObject();
    }

    private static int events(DataSource dataSource, String aggregateId) {
        Integer count = new JdbcTemplate(dataSource).queryForObject(
                "SELECT COUNT(*) FROM eventsource_events WHERE aggregate_id = ?", Integer.class, aggregateId);
        return (count != null) ? count : -1;
    }

    private static List<String> tables(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForList(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                        + " AND TABLE_NAME LIKE 'EVENTSOURCE%'", String.class);
    }

    private static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        return dataSource;
    }

    /** The application's H2 as the primary DataSource, PostgreSQL qualified {@code @EventSourceDataSource}. */
    private ApplicationContextRunner qualifiedPostgreSql(ApplicationContextRunner runner) {
        return runner
            .withBean("application", DataSource.class, () -> this.h2, (definition) -> definition.setPrimary(true))
            .withBean("events", DataSource.class, () -> this.postgresql, (definition) -> ((AbstractBeanDefinition)
                    definition).addQualifier(new AutowireCandidateQualifier(EventSourceDataSource.class)));
    }
}
