package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Account;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration processed ahead of time, as {@code spring-boot:process-aot} does for an application: the
 * generated code is compiled, a fresh context is started from it alone (no classpath scanning, no configuration
 * classes parsed, as in AOT mode or a native image), and its repositories and projections work. The hints the
 * processing contributes cover what the library reaches by reflection.
 */
@CompileWithForkedClassLoader
class AotProcessingTests {

    private static final String[] APP = { "eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
            "spring.datasource.generate-unique-name=true" };

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withUserConfiguration(Balances.Config.class)
        .withPropertyValues(APP);

    @Test
    void repositoriesOfTheMemoryStoreWorkInAnAotProcessedContext() {
        this.contextRunner.prepare((prepared) -> compileAndRun(prepared.getSourceApplicationContext(),
                "eventsource.store.type=memory", (context) -> {
                    assertThat(context.getBean(dev.eventsource.Store.class)).isInstanceOf(MemoryStore.class);
                    depositAndLoad(context);
                }));
    }

    @Test
    void repositoriesOfTheJdbcStoreOnH2WorkInAnAotProcessedContext() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues("eventsource.store.type=jdbc")
            .prepare((prepared) -> compileAndRun(prepared.getSourceApplicationContext(), "eventsource.store.type=jdbc",
                    (context) -> {
                        assertThat(context.getBean(dev.eventsource.Store.class)).isInstanceOf(JdbcStore.class);
                        depositAndLoad(context);
                    }));
    }

    @Test
    void processingContributesHintsForAggregatesProjectionsEventsAndScripts() {
        this.contextRunner.withPropertyValues("eventsource.store.type=memory").prepare((prepared) -> {
            TestGenerationContext generation = new TestGenerationContext();
            new ApplicationContextAotGenerator().processAheadOfTime(
                    (GenericApplicationContext) prepared.getSourceApplicationContext(), generation);
            RuntimeHints hints = generation.getRuntimeHints();
            // Aggregates: the no-argument constructor, the handler methods, the fields (snapshots).
            assertThat(RuntimeHintsPredicates.reflection().onType(Account.class)
                .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(hints);
            assertThat(RuntimeHintsPredicates.reflection().onType(Account.class)
                .withMemberCategory(MemberCategory.ACCESS_DECLARED_FIELDS)).accepts(hints);
            assertThat(invocation(Account.class, "handle", Account.Deposit.class)).accepts(hints);
            assertThat(invocation(Account.class, "on", Account.Deposited.class)).accepts(hints);
            assertThat(invocation(Person.class, "handle", Person.Rename.class)).accepts(hints);
            assertThat(invocation(Person.class, "on", Person.Renamed.class)).accepts(hints);
            // Events, as Jackson binds them: record constructor and accessors.
            for (Class<?> event : List.of(Account.Deposited.class, Person.Registered.class, Person.Renamed.class)) {
                assertThat(RuntimeHintsPredicates.reflection().onType(event)
                    .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).as(event.getName())
                    .accepts(hints);
            }
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Account.Deposited.class, "amount"))
                .accepts(hints);
            // Projections: the handler methods.
            assertThat(invocation(Balances.class, "on", Account.Deposited.class, StoredEvent.class)).accepts(hints);
            // The JDBC store's scripts, from eventsource-core (aot.factories).
            for (String platform : List.of("h2", "postgresql", "mysql", "mariadb")) {
                assertThat(RuntimeHintsPredicates.resource().forResource("dev/eventsource/store/jdbc/schema-"
                        + platform + ".sql")).as(platform).accepts(hints);
            }
            // No hint for what nothing reaches by reflection: a command is only passed to its handler.
            assertThat(RuntimeHintsPredicates.reflection().onType(Account.Deposit.class)).rejects(hints);
        });
    }

    @Test
    void theRegistrarIsLeftOutOfTheGeneratedContext() {
        this.contextRunner.withPropertyValues("eventsource.store.type=memory").prepare((prepared) -> compileAndRun(
                prepared.getSourceApplicationContext(), "eventsource.store.type=memory", (context) -> {
                    assertThat(context.getBeanNamesForType(AggregateRepositoryRegistrar.class)).isEmpty();
                    assertThat(context.getBeanNamesForType(
                            ResolvableType.forClassWithGenerics(Repository.class, Person.class)))
                        .containsExactly(AggregateRepositoryRegistrar.beanName(Person.class));
                }));
    }

    private static Predicate<RuntimeHints> invocation(Class<?> type, String name, Class<?>... parameters) {
        try {
            return RuntimeHintsPredicates.reflection().onMethodInvocation(type.getDeclaredMethod(name, parameters));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static void depositAndLoad(GenericApplicationContext context) {
        Repository<Account> accounts = repository(context, Account.class);
        accounts.apply(new Account.Deposit("acc-1", new BigDecimal("10")));
        accounts.apply(new Account.Deposit("acc-1", new BigDecimal("5")));
        Account loaded = accounts.load("acc-1");
        assertThat(loaded.balance()).isEqualByComparingTo("15");
        assertThat(loaded.version()).isEqualTo(2);
        // The projection, called inline by the repository, saw both events.
        assertThat(context.getBean(Balances.class).deposits).containsExactly("acc-1@1", "acc-1@2");
        Repository<Person> people = repository(context, Person.class);
        people.apply(new Person.Register("p-1", "Ada"));
        assertThat(people.load("p-1").name()).isEqualTo("Ada");
    }

    @SuppressWarnings("unchecked")
    private static <A extends dev.eventsource.Aggregate> Repository<A> repository(GenericApplicationContext context,
            Class<A> aggregate) {
        return (Repository<A>) context.getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, aggregate))
            .getObject();
    }

    /** Processes the context ahead of time, compiles the code, and starts a fresh context from it alone. */
    @SuppressWarnings("unchecked")
    private static void compileAndRun(org.springframework.context.ApplicationContext source, String storeType,
            Consumer<GenericApplicationContext> assertions) {
        TestGenerationContext generation = new TestGenerationContext();
        ClassName initializerName = new ApplicationContextAotGenerator()
            .processAheadOfTime((GenericApplicationContext) source, generation);
        generation.writeGeneratedContent();
        TestCompiler.forSystem().with(generation).compile((compiled) -> {
            try (GenericApplicationContext fresh = new GenericApplicationContext()) {
                TestPropertyValues.of(APP).and(storeType).applyTo(fresh);
                ApplicationContextInitializer<GenericApplicationContext> initializer = compiled
                    .getInstance(ApplicationContextInitializer.class, initializerName.toString());
                initializer.initialize(fresh);
                fresh.refresh();
                assertions.accept(fresh);
            }
        });
    }

    /** An inline projection of deposits. */
    @Projection(value = "balances", inline = true)
    static class Balances {

        final List<String> deposits = new CopyOnWriteArrayList<>();

        @EventHandler
        void on(Account.Deposited event, StoredEvent stored) {
            this.deposits.add(event.aggregateId() + "@" + event.version());
        }

        @Configuration(proxyBeanMethods = false)
        static class Config {

            @Bean
            Balances balances() {
                return new Balances();
            }
        }
    }
}
