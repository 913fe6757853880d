package dev.eventsource.autoconfigure.projection;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.EventSourceProjections;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.ProjectionFailedException;
import dev.eventsource.subscription.StartFrom;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.jdbc.JdbcCheckpointStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Projections in whole applications on one H2 database: subscriptions start and stop with the context, take their
 * properties, share one subscription between two contexts, and inline projections commit and roll back with the
 * append.
 */
class ProjectionsTests {

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    private String database;

    @BeforeEach
    void newDatabase() {
        this.database = "jdbc:h2:mem:projections-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        PersonNames.HANDLED_BY.clear();
    }

    @AfterEach
    void closeContexts() {
        this.contexts.forEach(ConfigurableApplicationContext::close);
    }

    private ConfigurableApplicationContext run(String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + this.database,
                "eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
                "eventsource.subscriptions.person-names.poll-interval=20ms", "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ProjectionApplication.class)
            .web(WebApplicationType.NONE)
            .properties(all.toArray(String[]::new))
            .run();
        this.contexts.add(context);
        return context;
    }

    private static Repository<Person> people(ConfigurableApplicationContext context) {
        return context.<Repository<Person>>getBeanProvider(
                ResolvableType.forClassWithGenerics(Repository.class, Person.class)).getObject();
    }

    private static int rows(ConfigurableApplicationContext context, String sql, Object... args) {
        return context.getBean(JdbcTemplate.class).queryForObject(sql, Integer.class, args);
    }

    @Test
    void projectionsStartWithTheContextFollowAppendsAndStopWithIt() {
        ConfigurableApplicationContext context = run();
        Subscription subscription = context.getBean(EventSourceProjections.class).subscription("person-names");
        assertThat(subscription.isRunning()).isTrue();

        people(context).apply(new Person.Register("p-1", "Ada"));
        people(context).apply(new Person.Rename("p-1", "Ada Lovelace"));

        awaitTrue("renamed in the view", () -> rows(context,
                "SELECT COUNT(*) FROM person_names_view WHERE name = 'Ada Lovelace' AND version = 2") == 1);
        long checkpoint = JdbcCheckpointStore.of(context.getBean(JdbcStore.class)).position("person-names").orElseThrow();
        assertThat(checkpoint).isEqualTo(context.getBean(JdbcStore.class).lastPosition());
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        awaitTrue("processed metric", () -> meters.find("eventsource.subscription.events.processed")
            .tag("subscription", "person-names").counter().count() == 2);

        EventSourceProjections projections = context.getBean(EventSourceProjections.class);
        context.close();
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.state()).isEqualTo(Subscription.State.STOPPED);
        assertThat(projections.isRunning()).isFalse();
    }

    @Test
    void propertiesConfigureEachSubscription() {
        ConfigurableApplicationContext disabled = run("eventsource.subscriptions.person-names.enabled=false");
        people(disabled).apply(new Person.Register("old", "Before"));
        assertThat(disabled.getBean(EventSourceProjections.class).subscriptions()).isEmpty();
        disabled.close();

        ConfigurableApplicationContext context = run("eventsource.subscriptions.person-names.batch-size=2",
                "eventsource.subscriptions.person-names.poll-interval=150ms",
                "eventsource.subscriptions.person-names.start-from=end");
        Subscription subscription = context.getBean(EventSourceProjections.class).subscription("person-names");
        assertThat(subscription.batchSize()).isEqualTo(2);
        assertThat(subscription.pollInterval()).isEqualTo(Duration.ofMillis(150));
        assertThat(subscription.startFrom()).isEqualTo(StartFrom.END);
        awaitTrue("lease taken", () -> subscription.position() >= 0);

        for (int i = 0; i < 5; i++) {
            people(context).apply(new Person.Register("new-" + i, "After"));
        }
        awaitTrue("5 new people projected", () -> rows(context, "SELECT COUNT(*) FROM person_names_view") == 5);
        assertThat(rows(context, "SELECT COUNT(*) FROM person_names_view WHERE id = 'old'")).isZero();
    }

    @Test
    void leasePropertiesConfigureEachSubscriptionAndAreChecked() {
        ConfigurableApplicationContext context = run("eventsource.subscriptions.person-names.lease-time=3s",
                "eventsource.subscriptions.person-names.renew-interval=500ms");
        Subscription subscription = context.getBean(EventSourceProjections.class).subscription("person-names");
        assertThat(subscription.leaseTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(subscription.renewInterval()).isEqualTo(Duration.ofMillis(500));
        context.close();

        assertThatThrownBy(() -> run("eventsource.subscriptions.person-names.lease-time=1s"))
            .hasStackTraceContaining("Subscription 'person-names': renewInterval PT1S must be at most half of"
                    + " leaseTime PT1S");
    }

    @Test
    void twoApplicationsOnOneDatabaseShareTheSubscriptionAndTakeOver() {
        ConfigurableApplicationContext first = run("test.instance=first");
        ConfigurableApplicationContext second = run("test.instance=second");
        for (int i = 0; i < 20; i++) {
            people(i % 2 == 0 ? first : second).apply(new Person.Register("p-" + i, "Name " + i));
        }
        awaitTrue("20 projected", () -> PersonNames.HANDLED_BY.size() == 20);
        Set<String> instances = Set.copyOf(PersonNames.HANDLED_BY.values());
        assertThat(instances).hasSize(1);
        String active = instances.iterator().next();
        ConfigurableApplicationContext survivor = active.equals("first") ? second : first;

        (active.equals("first") ? first : second).close();
        for (int i = 20; i < 30; i++) {
            people(survivor).apply(new Person.Register("p-" + i, "Name " + i));
        }

        awaitTrue("30 projected", () -> PersonNames.HANDLED_BY.size() == 30);
        assertThat(PersonNames.HANDLED_BY.keySet()).noneMatch((key) -> key.endsWith(" again"));
        assertThat(PersonNames.HANDLED_BY.entrySet().stream().filter((e) -> !e.getValue().equals(active)).count())
            .isEqualTo(10);
        // The handler has run for the 30th event; its batch commits right after.
        awaitTrue("30 rows committed", () -> rows(survivor, "SELECT COUNT(*) FROM person_names_view") == 30);
    }

    @Test
    void inlineProjectionCommitsAndRollsBackWithTheAppend() {
        ConfigurableApplicationContext context = run();
        Registrations registrations = context.getBean(Registrations.class);

        registrations.register("kept", "Grace", false);
        assertThat(rows(context, "SELECT COUNT(*) FROM inline_registrations WHERE id = 'kept'")).isOne();
        assertThat(people(context).load("kept").name()).isEqualTo("Grace");

        assertThatIllegalStateException().isThrownBy(() -> registrations.register("gone", "Grace", true));
        assertThat(rows(context, "SELECT COUNT(*) FROM inline_registrations WHERE id = 'gone'")).isZero();
        assertThatExceptionOfType(AggregateNotFoundException.class).isThrownBy(() -> people(context).load("gone"));

        assertThatIllegalStateException().isThrownBy(() -> registrations.register("refused", "boom", false))
            .withMessageContaining("refuses 'boom'");
        assertThatExceptionOfType(AggregateNotFoundException.class)
            .isThrownBy(() -> people(context).load("refused"));
    }

    @Test
    void inlineProjectionFailingWithACheckedExceptionNamesTheProjectionAndTheEventAndRollsBackTheAppend() {
        ConfigurableApplicationContext context = run();
        Registrations registrations = context.getBean(Registrations.class);

        assertThatExceptionOfType(ProjectionFailedException.class)
            .isThrownBy(() -> registrations.register("full-disk", "full", false))
            .withMessageStartingWith("Inline projection 'inline-registrations' failed on event Registered of aggregate"
                    + " 'full-disk' version 1: no space left for 'full'")
            .withCauseInstanceOf(IOException.class)
            .satisfies(failure -> {
                assertThat(failure.projection()).isEqualTo("inline-registrations");
                assertThat(failure.eventType()).isEqualTo("Registered");
                assertThat(failure.aggregateId()).isEqualTo("full-disk");
                assertThat(failure.version()).isOne();
                assertThat(failure.position()).as("an inline projection runs before the event has a position")
                    .isZero();
            });
        assertThat(rows(context, "SELECT COUNT(*) FROM inline_registrations WHERE id = 'full-disk'")).isZero();
        assertThatExceptionOfType(AggregateNotFoundException.class)
            .isThrownBy(() -> people(context).load("full-disk"));
    }

    @Test
    void inlineProjectionWithoutATransactionRunsAfterTheAppendCommitted() {
        ConfigurableApplicationContext context = run();

        assertThatIllegalStateException().isThrownBy(() -> people(context).apply(new Person.Register("x", "boom")));

        assertThat(people(context).load("x").name()).as("the events were committed before the projection ran")
            .isEqualTo("boom");
        assertThat(rows(context, "SELECT COUNT(*) FROM inline_registrations WHERE id = 'x'")).isZero();
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
