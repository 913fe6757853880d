package dev.eventsource.autoconfigure;

import dev.eventsource.InvalidHandlerException;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.autoconfigure.app.Person;
import dev.eventsource.store.jdbc.JdbcCheckpointStore;
import dev.eventsource.store.memory.MemoryCheckpointStore;
import dev.eventsource.subscription.CheckpointStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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
