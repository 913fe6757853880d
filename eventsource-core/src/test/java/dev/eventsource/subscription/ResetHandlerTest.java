package dev.eventsource.subscription;

import dev.eventsource.Event;
import dev.eventsource.InvalidHandlerException;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.annotation.ResetHandler;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A projection's {@link ResetHandler} method: how it is called, and the signatures refused when it is built. */
class ResetHandlerTest {

    record Opened(String aggregateId, long version, Instant at) implements Event {
    }

    @Projection("with-position")
    static class WithPosition {
        final List<Long> resets = new ArrayList<>();

        @EventHandler
        void on(Opened event) {
        }

        @ResetHandler
        private void reset(long position) {
            resets.add(position);
        }
    }

    @Projection("without")
    static class Without {
        @EventHandler
        void on(Opened event) {
        }
    }

    @Projection("failing")
    static class Failing {
        @EventHandler
        void on(Opened event) {
        }

        @ResetHandler
        void reset() throws Exception {
            throw new java.io.IOException("read model unreachable");
        }
    }

    @Projection("wrong")
    static class WrongParameter {
        @EventHandler
        void on(Opened event) {
        }

        @ResetHandler
        void reset(String why) {
        }
    }

    @Projection("two")
    static class Two {
        @EventHandler
        void on(Opened event) {
        }

        @ResetHandler
        void clear() {
        }

        @ResetHandler
        void clearAgain() {
        }
    }

    @Test
    void callsTheResetHandlerWithThePosition() throws Exception {
        WithPosition projection = new WithPosition();
        ProjectionHandler handler = ProjectionHandler.of(projection);
        assertThat(handler.hasResetHandler()).isTrue();
        handler.reset(0);
        handler.reset(42);
        assertThat(projection.resets).containsExactly(0L, 42L);
    }

    @Test
    void aProjectionWithoutResetHandlerResetsNothing() throws Exception {
        ProjectionHandler handler = ProjectionHandler.of(new Without());
        assertThat(handler.hasResetHandler()).isFalse();
        handler.reset(7);
    }

    @Test
    void passesOnTheResetHandlersFailure() {
        assertThatThrownBy(() -> ProjectionHandler.of(new Failing()).reset(0))
            .isInstanceOf(java.io.IOException.class).hasMessage("read model unreachable");
    }

    @Test
    void refusesAResetHandlerWithAnotherParameterThanTheLongPosition() {
        assertThatThrownBy(() -> ProjectionHandler.of(new WrongParameter()))
            .isInstanceOf(InvalidHandlerException.class)
            .hasMessageContaining(WrongParameter.class.getName()).hasMessageContaining("reset")
            .hasMessageContaining("no parameter or one long");
    }

    @Test
    void refusesTwoResetHandlers() {
        assertThatThrownBy(() -> ProjectionHandler.of(new Two()))
            .isInstanceOf(InvalidHandlerException.class).hasMessageContaining("two @ResetHandler methods");
    }
}
