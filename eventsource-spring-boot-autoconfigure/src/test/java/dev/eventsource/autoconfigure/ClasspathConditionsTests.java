package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.RepositoryMetrics;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.BatchTransaction;
import dev.eventsource.subscription.SubscriptionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class conditions of the auto-configuration, each on an optional dependency that an application may lack:
 * the configuration it guards backs off when that dependency is absent (a {@link FilteredClassLoader} hides it) and
 * applies when it is present; with none of them, the core still works on the memory store.
 */
class ClasspathConditionsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app");

    @Test
    void jdbcStoreNeedsSpringJdbcAndSpringBootJdbc() {
        ApplicationContextRunner withDataSource = this.contextRunner.withUserConfiguration(H2DataSource.class);
        withDataSource.run((context) -> assertThat(context).getBean(Store.class).isInstanceOf(JdbcStore.class));
        // Without them, a context that has a DataSource refuses to start rather than keep its events in memory...
        withDataSource.withClassLoader(withoutSpringBootJdbc())
            .run((context) -> assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.store.type is 'auto' but the application context has a DataSource and "
                        + "spring-boot-jdbc (org.springframework.boot:spring-boot-jdbc) is not on the classpath")
                .contains("lost when the application stops")
                .contains("Add spring-boot-starter-jdbc")
                .contains("eventsource.store.type=memory"));
        withDataSource.withClassLoader(new FilteredClassLoader("org.springframework.jdbc"))
            .run((context) -> assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("spring-jdbc (org.springframework:spring-jdbc) is not on the classpath"));
        // ...unless it asks for the memory store.
        withDataSource.withClassLoader(withoutSpringBootJdbc()).withPropertyValues("eventsource.store.type=memory")
            .run((context) -> {
                assertThat(context).getBean(Store.class).isInstanceOf(MemoryStore.class);
                assertThat(context).doesNotHaveBean(EventSourceSchemaInitializer.class);
                works(context);
            });
    }

    @Test
    void jdbcStoreTypeWithoutSpringBootJdbcFailsNamingTheModule() {
        this.contextRunner.withUserConfiguration(H2DataSource.class)
            .withClassLoader(withoutSpringBootJdbc())
            .withPropertyValues("eventsource.store.type=jdbc")
            .run((context) -> assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("eventsource.store.type is 'jdbc' but spring-boot-jdbc "
                        + "(org.springframework.boot:spring-boot-jdbc) is not on the classpath")
                .contains("Add spring-boot-starter-jdbc"));
    }

    @Test
    void metricsNeedMicrometer() {
        ApplicationContextRunner withRegistry = this.contextRunner.withUserConfiguration(Meters.class);
        withRegistry.run((context) -> assertThat(context).hasSingleBean(RepositoryMetrics.class)
            .hasSingleBean(SubscriptionMetrics.class));
        this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
            assertThat(context).doesNotHaveBean(RepositoryMetrics.class).doesNotHaveBean(SubscriptionMetrics.class);
            works(context);
        });
    }

    @Test
    void batchTransactionsNeedSpringTx() {
        ApplicationContextRunner withTransactionManager = this.contextRunner
            .withUserConfiguration(TransactionManager.class);
        withTransactionManager.run((context) -> assertThat(context).hasSingleBean(BatchTransaction.class));
        this.contextRunner.withClassLoader(new FilteredClassLoader(PlatformTransactionManager.class))
            .run((context) -> {
                assertThat(context).doesNotHaveBean(BatchTransaction.class);
                works(context);
            });
    }

    @Test
    void coreAloneWorksOnTheMemoryStore() {
        this.contextRunner
            .withClassLoader(new FilteredClassLoader((name) -> name.equals(
                    JdbcStoreConfiguration.SPRING_BOOT_JDBC_CLASS) || name.startsWith("org.springframework.jdbc.")
                    || name.startsWith("org.springframework.transaction.") || name.startsWith("org.springframework.dao.")
                    || name.startsWith("io.micrometer.") || name.startsWith("tools.jackson.dataformat.cbor.")))
            .run((context) -> {
                assertThat(context).getBean(Store.class).isInstanceOf(MemoryStore.class);
                assertThat(context).doesNotHaveBean(RepositoryMetrics.class).doesNotHaveBean(BatchTransaction.class);
                works(context);
            });
    }

    /**
     * Hides spring-boot-jdbc from the conditions. Its classes, not its package: the jar's own
     * {@code META-INF/spring.factories} stays visible to a filtering class loader, and names classes of it.
     */
    private static FilteredClassLoader withoutSpringBootJdbc() {
        return new FilteredClassLoader((name) -> name.equals(JdbcStoreConfiguration.SPRING_BOOT_JDBC_CLASS));
    }

    @SuppressWarnings("unchecked")
    private static void works(AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        Repository<Person> people = (Repository<Person>) context
            .getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Person.class)).getObject();
        people.apply(new Person.Register("p-1", "Ada"));
        assertThat(people.load("p-1").name()).isEqualTo("Ada");
    }

    @Configuration(proxyBeanMethods = false)
    static class H2DataSource {

        @Bean
        DataSource dataSource() {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            return dataSource;
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
    static class TransactionManager {

        @Bean
        PlatformTransactionManager transactionManager() {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            return new DataSourceTransactionManager(dataSource);
        }
    }
}
