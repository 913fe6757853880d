package dev.eventsource.autoconfigure;

import dev.eventsource.Backoff;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.Event;
import dev.eventsource.History;
import dev.eventsource.Observer;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.Serializer;
import dev.eventsource.Snapshot;
import dev.eventsource.SnapshotStore;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.app.Account;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.autoconfigure.inherited.Document;
import dev.eventsource.autoconfigure.inherited.Invoice;
import dev.eventsource.autoconfigure.other.Ticket;
import dev.eventsource.micrometer.EventSourceMeters;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcSnapshotStore;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.memory.MemorySnapshotStore;
import dev.eventsource.store.memory.MemoryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventSourceAutoConfigurationTests {

    private static final String APP = "eventsource.scan.base-packages=dev.eventsource.autoconfigure.app";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues(APP);

    private final ApplicationContextRunner withH2 = this.contextRunner
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

    @Test
    void createsMemoryStoreWhenContextHasNoDataSource() {
        this.contextRunner.run((context) -> assertThat(context).getBean(Store.class).isInstanceOf(MemoryStore.class));
    }

    @Test
    void createsJdbcStoreAndItsTableWhenAutoAndDataSourcePresent() {
        this.withH2.run((context) -> {
            assertThat(context).getBean(Store.class).isInstanceOf(JdbcStore.class);
            JdbcStore store = context.getBean(JdbcStore.class);
            assertThat(store.dialect()).isEqualTo(JdbcDialect.H2);
            assertThat(store.tableName()).isEqualTo(JdbcStore.DEFAULT_TABLE_NAME);
            assertThat(rows(context.getBean(DataSource.class), "eventsource_events")).isZero();
            assertThat(context.getBean(EventSourceSchemaInitializer.class).isInitialized()).isTrue();
        });
    }

    @Test
    void createsJdbcStoreWhenTypeIsJdbcAndDataSourcePresent() {
        this.withH2.withPropertyValues("eventsource.store.type=jdbc")
            .run((context) -> assertThat(context).getBean(Store.class).isInstanceOf(JdbcStore.class));
    }

    @Test
    void createsMemoryStoreWhenTypeIsMemoryDespiteDataSource() {
        this.withH2.withPropertyValues("eventsource.store.type=memory").run((context) -> {
            assertThat(context).getBean(Store.class).isInstanceOf(MemoryStore.class);
            assertThat(context).doesNotHaveBean(EventSourceSchemaInitializer.class);
        });
    }

    @Test
    void failsInsteadOfKeepingEventsInMemoryWhenAutoAndTwoDataSourcesWithoutPrimary() {
        this.contextRunner.withUserConfiguration(TwoDataSources.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(NoUniqueDataSourceException.class);
        });
    }

    @Test
    void failsWithAnalyzedMessageWhenTypeIsJdbcWithoutDataSource() {
        this.contextRunner.withPropertyValues("eventsource.store.type=jdbc").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.store.type is 'jdbc' but the application context has no single DataSource")
                .contains("set eventsource.store.type=memory");
        });
    }

    @Test
    void wrapsDataSourceSoThatStoreJoinsSpringTransactions() {
        this.withH2.run((context) -> {
            JdbcStore store = context.getBean(JdbcStore.class);
            assertThat(store).extracting("dataSource").isInstanceOf(TransactionAwareDataSourceProxy.class);
        });
    }

    @Test
    void registersOneRepositoryPerAggregateInjectableByGenericType() {
        this.contextRunner.run((context) -> {
            assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Repository.class, Person.class)))
                .hasSize(1);
            assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Repository.class, Account.class)))
                .hasSize(1);
            Repository<Person> people = repository(context, Person.class);
            people.apply(new Person.Register("p-1", "Ada"));
            assertThat(people.load("p-1").name()).isEqualTo("Ada");
            assertThat(delegate(people)).isSameAs(context.getBean(Store.class));
        });
    }

    @Test
    void backsOffWhenUserDefinesStore() {
        this.withH2.withUserConfiguration(UserStore.class).run((context) -> {
            assertThat(context).getBean(Store.class).isSameAs(context.getBean(UserStore.class).store);
            assertThat(context).doesNotHaveBean(EventSourceSchemaInitializer.class);
            assertThat(delegate(repository(context, Person.class))).isSameAs(context.getBean(UserStore.class).store);
        });
    }

    @Test
    void createsJdbcSnapshotStoreBesideTheJdbcStoreJoiningSpringTransactions() {
        this.withH2.run((context) -> {
            assertThat(context).getBean(SnapshotStore.class).isInstanceOf(JdbcSnapshotStore.class);
            JdbcSnapshotStore snapshots = context.getBean(JdbcSnapshotStore.class);
            assertThat(snapshots.tableName()).isEqualTo("eventsource_events_snapshots");
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(rows(dataSource, "eventsource_events_snapshots")).as("created at start-up").isZero();
            Snapshot snapshot = new Snapshot("Person", "p-1", 3, "0123456789abcdef", 1,
                    Instant.parse("2025-01-01T00:00:00Z"), new byte[] {1, 2, 3});
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            transaction.executeWithoutResult((status) -> {
                assertThat(snapshots.save(snapshot)).isTrue();
                status.setRollbackOnly();
            });
            assertThat(snapshots.load("Person", "p-1")).as("rolled back with the transaction").isNull();
            transaction.executeWithoutResult((status) -> snapshots.save(snapshot));
            assertThat(snapshots.load("Person", "p-1")).isEqualTo(snapshot);
        });
    }

    @Test
    void backsOffWhenUserDefinesSnapshotStore() {
        this.withH2.withBean(SnapshotStore.class, MemorySnapshotStore::new).run((context) -> {
            assertThat(context).getBean(SnapshotStore.class).isInstanceOf(MemorySnapshotStore.class);
            assertThat(context).doesNotHaveBean(JdbcSnapshotStore.class);
        });
    }

    @Test
    void createsNoJdbcSnapshotStoreForTheMemoryStore() {
        this.withH2.withPropertyValues("eventsource.store.type=memory")
            .run((context) -> assertThat(context).doesNotHaveBean(JdbcSnapshotStore.class));
    }

    @Test
    void backsOffWhenUserDefinesSerializer() {
        this.contextRunner.withUserConfiguration(UserSerializer.class).run((context) -> {
            assertThat(context).getBean(Serializer.class).isSameAs(UserSerializer.SERIALIZER);
            assertThat(repository(context, Person.class).serializer()).isSameAs(UserSerializer.SERIALIZER);
        });
    }

    @Test
    void backsOffWhenUserDefinesRepositoryOfOneAggregate() {
        this.contextRunner.withUserConfiguration(UserRepository.class).run((context) -> {
            assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Repository.class, Person.class)))
                .containsExactly("people");
            assertThat(repository(context, Person.class).store()).isSameAs(UserRepository.STORE);
            assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Repository.class, Account.class)))
                .hasSize(1);
        });
    }

    @Test
    void serializerUsesApplicationJsonMapper() {
        this.contextRunner.run((context) -> {
            JsonMapper mapper = context.getBean(JsonMapper.class);
            Serializer serializer = context.getBean(Serializer.class);
            assertThat(serializer.format()).isEqualTo(PayloadFormat.JSON);
            assertThat(serializer).extracting("mapper").isSameAs(mapper);
        });
    }

    @Test
    void usesMemoryStoreWithoutSpringJdbcOnlyWhenAskedTo() {
        this.contextRunner.withUserConfiguration(SingleDataSource.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
            .withPropertyValues("eventsource.store.type=memory")
            .run((context) -> assertThat(context).getBean(Store.class).isInstanceOf(MemoryStore.class));
        this.contextRunner.withUserConfiguration(SingleDataSource.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
            .run((context) -> assertThat(context).hasFailed());
    }

    @Test
    void failsWithAnalyzedMessageWhenTypeIsJdbcWithoutSpringJdbc() {
        this.contextRunner.withUserConfiguration(SingleDataSource.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
            .withPropertyValues("eventsource.store.type=jdbc")
            .run((context) -> assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("spring-jdbc (org.springframework:spring-jdbc) is not on the classpath")
                .contains("Add spring-boot-starter-jdbc"));
    }

    @Test
    void worksWithoutMicrometer() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer")).run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RepositoryMetrics.class);
            repository(context, Person.class).apply(new Person.Register("p-1", "Ada"));
        });
    }

    @Test
    void recordsMetricsInMeterRegistry() {
        this.contextRunner.withUserConfiguration(Meters.class).run((context) -> {
            Repository<Person> people = repository(context, Person.class);
            people.apply(new Person.Register("p-1", "Ada"));
            people.apply(new Person.Rename("p-1", "Grace"));
            try {
                people.apply(new Person.Rename("p-1", "Grace"));
            }
            catch (RuntimeException expected) {
                // no events produced
            }
            people.load("p-1");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            String aggregate = EventSourceMeters.AGGREGATE_TAG;
            assertThat(registry.get(EventSourceMeters.EVENTS_APPENDED).tag(aggregate, "Person").counter().count())
                .isEqualTo(2);
            assertThat(registry.get(EventSourceMeters.APPLY).tag(aggregate, "Person")
                .tag(EventSourceMeters.OUTCOME_TAG, "success").timer().count()).isEqualTo(2);
            assertThat(registry.get(EventSourceMeters.APPLY).tag(aggregate, "Person")
                .tag(EventSourceMeters.OUTCOME_TAG, "no-events").timer().count()).isEqualTo(1);
            assertThat(registry.get(EventSourceMeters.NO_EVENTS).tag(aggregate, "Person").counter().count()).isEqualTo(1);
            assertThat(registry.get(EventSourceMeters.SAVE).tag(aggregate, "Person").timer().count()).isEqualTo(2);
            // apply loads three times (the first finds nothing), plus the explicit load.
            assertThat(registry.get(EventSourceMeters.LOAD).tag(aggregate, "Person").timer().count()).isEqualTo(4);
            assertThat(registry.get(EventSourceMeters.EVENTS_REPLAYED).tag(aggregate, "Person").summary().totalAmount())
                .isEqualTo(0 + 1 + 2 + 2);
            assertThat(registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getDescription()).isNotBlank());
        });
    }

    @Test
    void countsConflictsAndRetriesUpToMaxRetries() {
        this.contextRunner.withUserConfiguration(Meters.class, ConflictingStore.class)
            .withPropertyValues("eventsource.repository.max-retries=3")
            .run((context) -> {
                Repository<Person> people = repository(context, Person.class);
                try {
                    people.apply(new Person.Register("p-1", "Ada"));
                }
                catch (ConcurrencyConflictException expected) {
                    // every append conflicts
                }
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get(EventSourceMeters.RETRIES).counter().count()).isEqualTo(3);
                assertThat(registry.get(EventSourceMeters.CONFLICTS).counter().count()).isEqualTo(4);
                assertThat(registry.get(EventSourceMeters.APPLY)
                    .tag(EventSourceMeters.OUTCOME_TAG, "conflict").timer().count()).isEqualTo(1);
            });
    }

    @Test
    void recordsNoMetricsWhenDisabled() {
        this.contextRunner.withUserConfiguration(Meters.class).withPropertyValues("eventsource.metrics.enabled=false")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(RepositoryMetrics.class);
                repository(context, Person.class).apply(new Person.Register("p-1", "Ada"));
                assertThat(context.getBean(MeterRegistry.class).find(EventSourceMeters.EVENTS_APPENDED).counter()).isNull();
            });
    }

    @Test
    void usesConfiguredTableName() {
        this.withH2.withPropertyValues("eventsource.jdbc.table-name=app_events").run((context) -> {
            assertThat(context.getBean(JdbcStore.class).tableName()).isEqualTo("app_events");
            repository(context, Person.class).apply(new Person.Register("p-1", "Ada"));
            assertThat(rows(context.getBean(DataSource.class), "app_events")).isEqualTo(1);
        });
    }

    @Test
    void createsNoTableWhenInitializeSchemaIsNever() {
        this.withH2.withPropertyValues("eventsource.jdbc.initialize-schema=never").run((context) -> {
            // The start-up check then finds the table missing (see StartUpChecksTests).
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(IncompleteSchemaException.class);
        });
    }

    @Test
    void usesConfiguredPlatformInsteadOfDetectingIt() {
        // H2 accepts the PostgreSQL dialect's table: created by H2's script plus PostgreSQL's id column, and
        // checked at start-up.
        this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1;INIT=RUNSCRIPT FROM 'classpath:dev/eventsource/store/jdbc/schema-h2.sql'"
                    + "\\;ALTER TABLE eventsource_events ADD COLUMN id BIGINT",
                    "eventsource.jdbc.platform=postgresql", "eventsource.jdbc.initialize-schema=never")
            .run((context) -> assertThat(context.getBean(JdbcStore.class).dialect()).isEqualTo(JdbcDialect.POSTGRESQL));
    }

    @Test
    void serializesToCborWhenFormatIsCbor() {
        this.withH2.withPropertyValues("eventsource.serializer.format=cbor").run((context) -> {
            assertThat(context.getBean(Serializer.class).format()).isEqualTo(PayloadFormat.BINARY);
            assertThat(context.getBean(JdbcStore.class).payloadFormat()).isEqualTo(PayloadFormat.BINARY);
            Repository<Account> accounts = repository(context, Account.class);
            accounts.apply(new Account.Deposit("a-1", new BigDecimal("12.50")));
            assertThat(accounts.load("a-1").balance()).isEqualByComparingTo("12.50");
        });
    }

    @Test
    void scansConfiguredBasePackages() {
        this.contextRunner.withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.other")
            .run((context) -> {
                assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Repository.class, Ticket.class)))
                    .hasSize(1);
                assertThat(context.getBeanNamesForType(Repository.class)).hasSize(1);
            });
    }

    @Test
    void registersRepositoryOfAggregateWhoseHandlersAreAllInherited() {
        this.contextRunner.withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.inherited")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBeanNamesForType(Repository.class)).hasSize(1);
                Repository<Invoice> invoices = context.<Repository<Invoice>>getBeanProvider(
                        ResolvableType.forClassWithGenerics(Repository.class, Invoice.class)).getObject();
                invoices.apply(new Document.Title("invoice-1", "March"));
                assertThat(invoices.load("invoice-1").title()).isEqualTo("March");
            });
    }

    @Test
    void failsWhenAClassWithEventHandlersIsNeitherAggregateNorProjection() {
        this.contextRunner
            .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.broken.notaggregate")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("Tally declares @EventHandler methods but does not implement dev.eventsource.Aggregate")
                    .contains("annotate it @Projection if it builds a read model")
                    .doesNotContain("Fix the method");
            });
    }

    @Test
    void failsWithAnalyzedMessageOnInvalidTableName() {
        this.withH2.withPropertyValues("eventsource.jdbc.table-name=events;drop").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("Invalid event table name 'events;drop'")
                .contains("Set eventsource.jdbc.table-name to letters, digits and underscores");
        });
    }

    @Test
    void failsWithAnalyzedMessageOnUnknownStoreType() {
        this.contextRunner.withPropertyValues("eventsource.store.type=cassandra").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.store.type").contains("cassandra");
        });
    }

    @Test
    void givesRepositoriesTheCoreRetryDefaults() {
        this.contextRunner.run((context) -> assertThat(repository(context, Person.class).retry())
            .isEqualTo(Repository.Builder.DEFAULT_RETRY));
    }

    @Test
    void givesRepositoriesTheConfiguredRetries() {
        this.contextRunner
            .withPropertyValues("eventsource.repository.max-retries=4", "eventsource.repository.retry.first-backoff=5ms",
                    "eventsource.repository.retry.max-backoff=2s", "eventsource.repository.retry.jitter=0.5",
                    "eventsource.repository.retry.time-budget=10s")
            .run((context) -> assertThat(repository(context, Person.class).retry())
                .isEqualTo(Backoff.exponential(Duration.ofMillis(5), Duration.ofSeconds(2))
                    .withJitter(0.5)
                    .withMaxAttempts(5)
                    .withTimeBudget(Duration.ofSeconds(10))));
    }

    @Test
    void failsWithAnalyzedMessageWhenMaxBackoffIsBelowFirstBackoff() {
        this.contextRunner
            .withPropertyValues("eventsource.repository.retry.first-backoff=2s",
                    "eventsource.repository.retry.max-backoff=1s")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("eventsource.repository.retry.max-backoff (PT1S) must be at least "
                            + "eventsource.repository.retry.first-backoff (PT2S)");
            });
    }

    @Test
    void failsWithAnalyzedMessageOnZeroFirstBackoff() {
        this.contextRunner.withPropertyValues("eventsource.repository.retry.first-backoff=0ms").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.repository.retry.first-backoff must be positive, got PT0S");
        });
    }

    @Test
    void failsWithAnalyzedMessageOnNegativeMaxRetries() {
        this.contextRunner.withPropertyValues("eventsource.repository.max-retries=-1").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.repository.max-retries must be 0 or more, got -1");
        });
    }

    @Test
    void failsWithAnalyzedMessageOnUnknownPlatform() {
        this.withH2.withPropertyValues("eventsource.jdbc.platform=oracle").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.jdbc.platform 'oracle' is not supported; use postgresql, mysql, mariadb or h2");
        });
    }

    @Test
    void failsWithAnalyzedMessageWhenTwoEventClassesShareATypeName() {
        this.contextRunner.withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.broken.duplicate")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("Two event classes use the event type name 'Created'")
                    .contains("Give one of them another name with @EventType");
            });
    }

    @Test
    void failsWithAnalyzedMessageWhenTwoAggregatesShareATypeName() {
        this.contextRunner.withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.broken.twins")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("Aggregate type name 'Ledger' is used by two classes")
                    .contains("Give one of them another stream type name with @AggregateType");
            });
    }

    @Test
    void failsWithAnalyzedMessageOnMalformedEventHandler() {
        this.contextRunner.withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.broken.handler")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("Malformed.on(Happened, String) takes 2 parameters")
                    .contains("an @EventHandler is an instance method taking exactly one event");
            });
    }

    @Test
    void failsWithAnalyzedMessageOnAggregateWithoutNoArgConstructor() {
        this.contextRunner
            .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.broken.constructor")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("NoDefaultConstructor has no no-argument constructor")
                    .contains("Add a no-argument constructor to the aggregate (it may be private)");
            });
    }

    @Test
    void notifiesObserversAndListenersOfAppendedEventsOutsideTransactions() {
        this.contextRunner.withUserConfiguration(Listening.class).run((context) -> {
            repository(context, Person.class).apply(new Person.Register("p-1", "Ada"));
            Listening listening = context.getBean(Listening.class);
            assertThat(listening.observed).containsExactly("p-1");
            assertThat(listening.published).containsExactly("p-1");
        });
    }

    @Test
    void appliesRepositoryCustomizersInOrderToEveryRepository() {
        this.contextRunner.withUserConfiguration(Customizers.class).run((context) -> {
            Repository<Person> people = repository(context, Person.class);
            Repository<Account> accounts = repository(context, Account.class);
            people.apply(new Person.Register("p-1", "Ada"));
            accounts.apply(new Account.Deposit("a-1", BigDecimal.TEN));
            // The customizer ordered last replaces the metadata supplier of the one ordered first.
            assertThat(people.history("p-1")).singleElement()
                .satisfies((stored) -> assertThat(stored.metadata()).containsExactly(Map.entry("user", "last")));
            assertThat(accounts.history("a-1")).singleElement()
                .satisfies((stored) -> assertThat(stored.metadata()).containsExactly(Map.entry("user", "last")));
            assertThat(context.getBean(Customizers.class).customized).containsExactly("first", "last", "first", "last");
        });
    }

    @Test
    void customizerOverridesPropertiesOfRepository() {
        this.contextRunner.withUserConfiguration(Meters.class, ConflictingStore.class, FailFast.class)
            .withPropertyValues("eventsource.repository.max-retries=5")
            .run((context) -> {
                Repository<Person> people = repository(context, Person.class);
                assertThatExceptionOfType(ConcurrencyConflictException.class)
                    .isThrownBy(() -> people.apply(new Person.Register("p-1", "Ada")));
                assertThat(context.getBean(MeterRegistry.class).get(EventSourceMeters.CONFLICTS).counter().count())
                    .isEqualTo(1);
            });
    }

    @Test
    void doesNotCustomizeRepositoryUserDefines() {
        this.contextRunner.withUserConfiguration(Customizers.class, UserRepository.class).run((context) -> {
            repository(context, Person.class).apply(new Person.Register("p-1", "Ada"));
            assertThat(repository(context, Person.class).history("p-1")).singleElement()
                .satisfies((stored) -> assertThat(stored.metadata()).isEmpty());
            repository(context, Account.class).apply(new Account.Deposit("a-1", BigDecimal.TEN));
            assertThat(repository(context, Account.class).history("a-1")).singleElement()
                .satisfies((stored) -> assertThat(stored.metadata()).containsExactly(Map.entry("user", "last")));
        });
    }

    @SuppressWarnings("unchecked")
    private static <A extends dev.eventsource.Aggregate> Repository<A> repository(
            org.springframework.context.ApplicationContext context, Class<A> type) {
        return (Repository<A>) context.getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, type))
            .getObject();
    }

    /** @return the store behind the auto-configured repository's failure translation */
    private static Store delegate(Repository<?> repository) {
        assertThat(repository.store()).isInstanceOf(DataAccessTranslatingStore.class);
        return ((DataAccessTranslatingStore) repository.store()).delegate();
    }

    private static int rows(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }

    private static DataSource h2() {
        return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID());
    }

    @Configuration(proxyBeanMethods = false)
    static class SingleDataSource {

        @Bean
        DataSource dataSource() {
            return h2();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoDataSources {

        @Bean
        DataSource first() {
            return h2();
        }

        @Bean
        DataSource second() {
            return h2();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStore {

        final Store store = new MemoryStore();

        @Bean
        Store userStore() {
            return this.store;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserSerializer {

        static final Serializer SERIALIZER = JacksonSerializer.json();

        @Bean
        Serializer userSerializer() {
            return SERIALIZER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRepository {

        static final Store STORE = new MemoryStore();

        @Bean
        Repository<Person> people() {
            return Repository.builder(Person.class).store(STORE).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ConflictingStore {

        @Bean
        Store conflictingStore() {
            MemoryStore empty = new MemoryStore();
            return new Store() {
                @Override
                public boolean save(String aggregateId, List<Record> records) {
                    // Every append conflicts. The version reported is the one a reload sees (0, nothing stored):
                    // a conflict at a version no reload ever reaches would be a stale read, which is not retried.
                    throw new ConcurrencyConflictException(aggregateId, 0, 0);
                }

                @Override
                public History load(String aggregateId, long fromVersion, long toVersion) {
                    return empty.load(aggregateId, fromVersion, toVersion);
                }

                @Override
                public List<Record> readAll(long afterPosition, int limit) {
                    return empty.readAll(afterPosition, limit);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        final List<String> customized = new CopyOnWriteArrayList<>();

        // Declared before the first one on purpose: the order comes from @Order, not from declaration.
        @Bean
        @Order(2)
        RepositoryCustomizer lastCustomizer() {
            return (builder) -> {
                this.customized.add("last");
                builder.metadata(() -> Map.of("user", "last"));
            };
        }

        @Bean
        @Order(1)
        RepositoryCustomizer firstCustomizer() {
            return (builder) -> {
                this.customized.add("first");
                builder.metadata(() -> Map.of("user", "first"));
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailFast {

        @Bean
        RepositoryCustomizer noRetries() {
            return (builder) -> builder.maxRetries(0);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Listening implements Observer {

        final List<String> observed = new CopyOnWriteArrayList<>();

        final List<String> published = new CopyOnWriteArrayList<>();

        @Override
        public void observe(Event event) {
            this.observed.add(event.aggregateId());
        }

        @org.springframework.context.event.EventListener
        void on(Person.Registered event) {
            this.published.add(event.aggregateId());
        }
    }
}
