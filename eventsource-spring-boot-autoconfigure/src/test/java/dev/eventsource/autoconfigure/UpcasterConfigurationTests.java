package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.DuplicateEventTypeException;
import dev.eventsource.Event;
import dev.eventsource.InvalidUpcasterException;
import dev.eventsource.InvalidUpcasterException.Problem;
import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.upcast.Wallet;
import dev.eventsource.autoconfigure.upcast.WalletUpcasters;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.upcast.Upcaster;
import org.junit.jupiter.api.Test;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upcaster beans: registered with the auto-configured serializer or the application's own JacksonSerializer,
 * refused with another serializer, and checked at start-up once every event class is bound, with a failure
 * analysis for each broken chain.
 */
class UpcasterConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.upcast");

    @Test
    void registersUpcasterBeansWithAUserDefinedJacksonSerializer() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class, UserJacksonSerializer.class).run((context) -> {
            assertThat(context).hasNotFailed();
            JacksonSerializer serializer = context.getBean(UserJacksonSerializer.class).serializer;
            assertThat(context.getBean(Serializer.class)).isSameAs(serializer);
            assertThat(serializer.upcasters()).containsExactlyInAnyOrderElementsOf(
                    context.getBeansOfType(Upcaster.class).values());
            assertThat(loadOldDeposit(context).memos()).containsExactly("salary");
        });
    }

    @Test
    void registersUpcasterBeansOnceWhenTheUserAlsoAddedThemToTheSerializer() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class, SerializerWithUpcasters.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(((JacksonSerializer) context.getBean(Serializer.class)).upcasters()).hasSize(2);
                assertThat(loadOldDeposit(context).balance()).isEqualByComparingTo("10");
            });
    }

    @Test
    void failsWithAnalysisWhenUpcasterBeansMeetASerializerThatIsNotJackson() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class, DelegatingSerializerConfiguration.class)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).isInstanceOf(UpcastersNotSupportedException.class);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("The application context has 2 Upcaster beans (depositedRevision1, depositedRevision2) "
                            + "but its Serializer is a " + DelegatingSerializer.class.getName()
                            + ", not a dev.eventsource.serializer.jackson.JacksonSerializer")
                    .contains("Define the Serializer bean as a JacksonSerializer")
                    .contains("If DelegatingSerializer delegates to a JacksonSerializer, register the upcasters "
                            + "with that one");
            });
    }

    @Test
    void startsWithASerializerThatIsNotJacksonWhenThereAreNoUpcasterBeans() {
        this.contextRunner.withUserConfiguration(DelegatingSerializerConfiguration.class).run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Serializer.class)).isInstanceOf(DelegatingSerializer.class);
        });
    }

    @Test
    void checksTheChainsOnceLazilyInitializedRepositoriesHaveBoundTheirEvents() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class)
            .withInitializer((context) -> context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(loadOldDeposit(context).currencies()).containsExactly("EUR");
            });
    }

    @Test
    void failsWithAnalysisOnAGapInAChain() {
        this.contextRunner.withBean("depositedRevision1", Upcaster.class, WalletUpcasters::depositedRevision1)
            .run((context) -> {
                assertProblem(context, Problem.GAP);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("The chain from 'Deposited' revision 1 stops at 'Deposited' revision 2: its class "
                            + "declares revision 3 and no upcaster reads revision 2; add Upcaster.from(\"Deposited\", 2)")
                    .contains("Make every chain of upcasters end at the revision its event class declares");
            });
    }

    @Test
    void failsWithAnalysisOnAClassRevisionThatNoUpcasterReaches() {
        this.contextRunner.run((context) -> {
            assertProblem(context, Problem.GAP);
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("The event type 'Deposited' declares revision 3 but no upcaster reads an earlier revision "
                        + "of it or leads to it")
                .contains("add an Upcaster bean for each missing step");
        });
    }

    @Test
    void failsWithAnalysisOnTwoUpcastersForOneStep() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class)
            .withBean("alsoDepositedRevision1", Upcaster.class,
                    () -> Upcaster.from("Deposited", 1).renameField("amount", "sum"))
            .run((context) -> {
                assertProblem(context, Problem.DUPLICATE_STEP);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("Two upcasters read 'Deposited' revision 1")
                    .contains("Keep one upcaster per stored type and revision: merge the two that read 'Deposited' "
                            + "revision 1 into one (Upcaster.from(\"Deposited\", 1) with the helpers of both)");
            });
    }

    @Test
    void failsWithAnalysisOnAnUpcasterAheadOfItsClass() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class)
            .withBean("depositedRevision3", Upcaster.class,
                    () -> Upcaster.from("Deposited", 3).addField("tags", "none"))
            .run((context) -> {
                assertProblem(context, Problem.AHEAD_OF_CLASS);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("reads revision 3 of 'Deposited', but its class declares revision 3")
                    .contains("raise @EventType(revision = ...) on the class of 'Deposited' above 3; otherwise "
                            + "remove the upcaster that reads 'Deposited' revision 3");
            });
    }

    @Test
    void failsWithAnalysisOnACycle() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class)
            .withBean("ledgerToJournal", Upcaster.class,
                    () -> Upcaster.from("Ledger", 1).renameType("Journal").toRevision(1))
            .withBean("journalToLedger", Upcaster.class,
                    () -> Upcaster.from("Journal", 1).renameType("Ledger").toRevision(1))
            .run((context) -> {
                assertProblem(context, Problem.CYCLE);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("come back to 'Journal' revision 1")
                    .contains("each step raises the revision or renames the type, and no step may lead back to "
                            + "'Journal' revision 1");
            });
    }

    @Test
    void failsWithAnalysisOnAnUpcasterOfAnAlias() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class)
            .withBean("creditedRevision1", Upcaster.class, () -> Upcaster.from("Credited", 1).addField("note", ""))
            .run((context) -> {
                assertProblem(context, Problem.ALIAS_COLLISION);
                assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                    .contains("reads 'Credited', an alias of the event type 'Deposited'")
                    .contains("write the upcaster from the class's type name instead of the alias; or remove "
                            + "'Credited' from @EventType(aliases = ...)");
            });
    }

    @Test
    void failsWithAnalysisOnAnAliasThatIsAnotherClassesTypeName() {
        this.contextRunner.withUserConfiguration(WalletUpcasters.class).withBean(Strays.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOfSatisfying(DuplicateEventTypeException.class,
                    (failure) -> assertThat(failure.classes()).containsExactly(Wallet.Deposited.class, Stray.class));
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("The event type name 'Deposited' is claimed by two event classes: it is the type name of "
                        + Wallet.Deposited.class.getName() + " and an alias of " + Stray.class.getName())
                .contains("If the events stored under 'Deposited' are " + Wallet.Deposited.class.getName()
                        + " events, remove \"Deposited\" from @EventType(aliases = ...) on " + Stray.class.getName())
                .contains("if they are old Stray events, give " + Wallet.Deposited.class.getName()
                        + " another type name, for example @EventType(\"WalletDeposited\")");
        });
    }

    private static void assertProblem(AssertableApplicationContext context, Problem problem) {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).satisfiesAnyOf(
                (failure) -> assertThat(failure).isInstanceOf(InvalidUpcasterException.class),
                (failure) -> assertThat(failure).hasRootCauseInstanceOf(InvalidUpcasterException.class));
        Throwable cause = context.getStartupFailure();
        while (!(cause instanceof InvalidUpcasterException)) {
            cause = cause.getCause();
        }
        assertThat(((InvalidUpcasterException) cause).problem()).isEqualTo(problem);
    }

    /** Stores an opened wallet and a deposit in revision 1, then loads the wallet through its repository. */
    @SuppressWarnings("unchecked")
    private static Wallet loadOldDeposit(ApplicationContext context) {
        String type = Aggregate.typeName(Wallet.class);
        Instant at = Instant.parse("2020-01-01T00:00:00Z");
        context.getBean(Store.class).save("w-1",
                new Record(type, "w-1", 1, "Opened", 1, at, json("{\"aggregateId\": \"w-1\", \"version\": 1, "
                        + "\"at\": \"" + at + "\", \"owner\": \"Ada\"}"), Map.of(), null, 0),
                new Record(type, "w-1", 2, "Deposited", 1, at, json("{\"aggregateId\": \"w-1\", \"version\": 2, "
                        + "\"at\": \"" + at + "\", \"amount\": 10, \"note\": \"salary\"}"), Map.of(), null, 0));
        return ((Repository<Wallet>) context
            .getBeanProvider(ResolvableType.forClassWithGenerics(Repository.class, Wallet.class))
            .getObject()).load("w-1");
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Configuration(proxyBeanMethods = false)
    static class UserJacksonSerializer {

        final JacksonSerializer serializer = JacksonSerializer.json();

        @Bean
        Serializer userSerializer() {
            return this.serializer;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SerializerWithUpcasters {

        @Bean
        JacksonSerializer userSerializer(java.util.List<Upcaster> upcasters) {
            return JacksonSerializer.json().addUpcasters(upcasters.toArray(Upcaster[]::new));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DelegatingSerializerConfiguration {

        @Bean
        Serializer delegatingSerializer() {
            return new DelegatingSerializer(JacksonSerializer.json());
        }
    }

    /** A serializer of the application's own that delegates to a JacksonSerializer, as an encrypting one would. */
    static final class DelegatingSerializer implements Serializer {

        private final Serializer delegate;

        DelegatingSerializer(Serializer delegate) {
            this.delegate = delegate;
        }

        @Override
        public Serializer bind(Class<?>... eventTypes) {
            this.delegate.bind(eventTypes);
            return this;
        }

        @Override
        public Record marshal(Event event) {
            return this.delegate.marshal(event);
        }

        @Override
        public Event unmarshal(Record record) {
            return this.delegate.unmarshal(record);
        }

        @Override
        public PayloadFormat format() {
            return this.delegate.format();
        }
    }

    /** An event that claims the type name of {@link Wallet.Deposited} as its former name. */
    @EventType(value = "Stray", aliases = "Deposited")
    record Stray(String aggregateId, long version, Instant at) implements Event {
    }

    @Projection(value = "strays", inline = true)
    static class Strays {

        @EventHandler
        void on(Stray event) {
        }
    }
}
