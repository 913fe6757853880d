package dev.eventsource.autoconfigure;

import dev.eventsource.InvalidHandlerException;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.subscription.CheckpointStore;
import dev.eventsource.subscription.MemoryCheckpointStore;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import dev.eventsource.Repository;
import dev.eventsource.subscription.Subscription;
import org.junit.jupiter.api.Test;
import org.springframework.core.ResolvableType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection beans of the auto-configuration, and start-up failures for malformed projections. */
class ProjectionConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app");

    @Test
    void keepsCheckpointsInMemoryWithTheMemoryStore() {
        this.contextRunner.run((context) -> {
            assertThat(context).getBean(CheckpointStore.class).isInstanceOf(MemoryCheckpointStore.class);
            assertThat(context.getBean(EventSourceProjections.class).subscriptions()).isEmpty();
        });
    }

    @Test
    void keepsCheckpointsInTheCheckpointsTableWithTheJdbcStore() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:checkpoints;DB_CLOSE_DELAY=-1")
            .run((context) -> {
                assertThat(context).getBean(CheckpointStore.class).isInstanceOf(JdbcCheckpointStore.class);
                JdbcCheckpointStore checkpoints = context.getBean(JdbcCheckpointStore.class);
                assertThat(checkpoints.tableName()).isEqualTo("eventsource_events_checkpoints");
                assertThat(checkpoints.position("never-ran")).isEmpty();
            });
    }

    @Test
    void failsAtStartUpOnAProjectionHandlerWithAWrongSignature() {
        this.contextRunner.withBean(WrongReturn.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(InvalidHandlerException.class)
                .hasMessageContaining(WrongReturn.class.getName()).hasMessageContaining("returns int");
            InvalidHandlerException failure = (InvalidHandlerException) context.getStartupFailure();
            assertThat(failure.kind()).isEqualTo(InvalidHandlerException.Kind.PROJECTION);
            assertThat(failure.problem()).isEqualTo(InvalidHandlerException.Problem.SIGNATURE);
            assertThat(failure.type()).isEqualTo(WrongReturn.class);
            assertThat(failure.method()).isEqualTo(WrongReturn.class.getDeclaredMethod("on", Person.Registered.class));
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("Fix the projection").contains("optionally followed by a StoredEvent");
        });
    }

    @Test
    void failsAtStartUpOnTwoProjectionsWithOneName() {
        this.contextRunner.withBean(Twin.class).withBean(OtherTwin.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasMessageContaining("Two projections are named 'twin'");
            assertThat(context.getStartupFailure()).isInstanceOfSatisfying(InvalidHandlerException.class,
                    failure -> assertThat(failure.problem()).isEqualTo(InvalidHandlerException.Problem.DUPLICATE_NAME));
            assertThat(FailureAnalysisAssert.analyze(context.getStartupFailure()))
                .contains("each @Projection has its own name");
        });
    }

    @Test
    void aContextStartedAgainAfterAStopRunsItsSubscriptionsAgainFromTheirCheckpoints() {
        this.contextRunner.withBean(Names.class).run((context) -> {
            @SuppressWarnings("unchecked")
            Repository<Person> people = (Repository<Person>) context.getBeanProvider(
                    ResolvableType.forClassWithGenerics(Repository.class, Person.class)).getObject();
            Names names = context.getBean(Names.class);
            people.apply(new Person.Register("p-1", "Ada"));
            await(() -> names.seen.contains("Ada"));
            Subscription before = context.getBean(EventSourceProjections.class).subscription("names");

            context.stop();
            assertThat(before.isRunning()).isFalse();
            assertThat(context.getBean(EventSourceProjections.class).isRunning()).isFalse();
            context.start();

            people.apply(new Person.Register("p-2", "Grace"));
            await(() -> names.seen.contains("Grace"));
            assertThat(names.seen).containsExactly("Ada", "Grace");
            // The same object as before the stop, started again: one kept by the application stays current.
            assertThat(context.getBean(EventSourceProjections.class).subscription("names")).isSameAs(before);
            assertThat(before.state()).isEqualTo(Subscription.State.ACTIVE);
        });
    }

    @Test
    void aSubscriptionStillFinishingItsBatchWhenTheContextStartsAgainStartsWhenTheBatchEndsAndNeverRunsTwice() {
        this.contextRunner.withBean(Slow.class).run((context) -> {
            @SuppressWarnings("unchecked")
            Repository<Person> people = (Repository<Person>) context.getBeanProvider(
                    ResolvableType.forClassWithGenerics(Repository.class, Person.class)).getObject();
            EventSourceProjections projections = context.getBean(EventSourceProjections.class);
            projections.stopWait(java.time.Duration.ofMillis(200));
            Slow slow = context.getBean(Slow.class);
            Subscription subscription = projections.subscription("slow");

            people.apply(new Person.Register("p-1", "block"));
            assertThat(slow.entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            context.stop();
            assertThat(subscription.isRunning()).as("still in its batch after the stop's wait").isTrue();

            context.start();
            people.apply(new Person.Register("p-2", "Grace"));
            Thread.sleep(300);
            assertThat(slow.seen).as("no event handled by a second run while the old batch blocks").isEmpty();
            assertThat(slow.mostAtOnce.get()).isEqualTo(1);

            slow.release.countDown();
            await(() -> slow.seen.contains("Grace"));
            assertThat(slow.seen).as("each event once, the blocked one checkpointed by the old run")
                .containsExactly("block", "Grace");
            assertThat(slow.mostAtOnce.get()).as("never two runs of one subscription at once").isEqualTo(1);
            assertThat(projections.subscription("slow")).isSameAs(subscription);
            assertThat(subscription.state()).isEqualTo(Subscription.State.ACTIVE);
        });
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s");
            }
            Thread.sleep(10);
        }
    }

    @Projection("slow")
    static class Slow {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger atOnce = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

        @EventHandler
        void on(Person.Registered event) throws InterruptedException {
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            try {
                if (event.name().equals("block")) {
                    entered.countDown();
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                }
                seen.add(event.name());
            } finally {
                atOnce.decrementAndGet();
            }
        }
    }

    @Projection("names")
    static class Names {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @EventHandler
        void on(Person.Registered event) {
            seen.add(event.name());
        }
    }

    @Projection("wrong")
    static class WrongReturn {

        @EventHandler
        int on(Person.Registered event) {
            return 1;
        }
    }

    @Projection("twin")
    static class Twin {

        @EventHandler
        void on(Person.Registered event) {
        }
    }

    @Projection("twin")
    static class OtherTwin {

        @EventHandler
        void on(Person.Registered event) {
        }
    }
}
