package dev.eventsource;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.internal.HandlerMethods;
import dev.eventsource.subscription.ProjectionHandler;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code @EventHandler} rules aggregates and projections share: the same handlers are found, the same
 * overrides collapse into one handler, sealed parameters dispatch the same way, and a malformed method fails with
 * the same words on both.
 */
class HandlerRulesTest {

    static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

    record Opened(String aggregateId, long version, Instant at) implements Event {
    }

    record Closed(String aggregateId, long version, Instant at) implements Event {
    }

    sealed interface Shape extends Event permits Circle, Square {
    }

    record Circle(String aggregateId, long version, Instant at) implements Shape {
    }

    record Square(String aggregateId, long version, Instant at) implements Shape {
    }

    /** Not sealed: a projection cannot know its classes before reading them. */
    interface Lifecycle extends Event {
    }

    record Archived(String aggregateId, long version, Instant at) implements Lifecycle {
    }

    static <A extends Aggregate> A replay(A aggregate, Event... events) {
        for (Event event : events) {
            aggregate.on(event);
        }
        return aggregate;
    }

    static <P> P project(P projection, Event... events) throws Exception {
        ProjectionHandler handler = ProjectionHandler.of(projection);
        long position = 0;
        for (Event event : events) {
            if (handler.handles(event.type())) {
                handler.handle(new StoredEvent(event, Map.of(), ++position));
            }
        }
        return projection;
    }

    /** The message without the owner prefix and the class names, which differ by construction. */
    static String problem(Throwable failure, Class<?> type) {
        return failure.getMessage().replace(type.getName(), "<class>");
    }

    static Throwable aggregateFailure(Class<? extends Aggregate> type) {
        Throwable failure = catchFailure(() -> Repository.builder(type));
        assertThat(failure).isInstanceOf(InvalidHandlerException.class)
                .hasMessageStartingWith("Aggregate " + type.getName() + ": ");
        return failure;
    }

    static Throwable projectionFailure(Object projection) {
        Throwable failure = catchFailure(() -> ProjectionHandler.of(projection));
        assertThat(failure).isInstanceOf(InvalidHandlerException.class)
                .hasMessageStartingWith("Projection " + projection.getClass().getName() + ": ");
        return failure;
    }

    static Throwable catchFailure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    // ---- overrides ----

    static class BaseAccount implements Aggregate {
        final List<String> calls = new ArrayList<>();

        @EventHandler
        void opened(Opened event) {
            calls.add("base opened");
        }

        @EventHandler
        void closed(Closed event) {
            calls.add("base closed");
        }
    }

    static class OverridingAccount extends BaseAccount {
        @Override
        @EventHandler
        void opened(Opened event) {
            calls.add("sub opened");
        }

        @Override
        void closed(Closed event) {
            calls.add("unannotated sub closed");
        }
    }

    @Projection("base-directory")
    static class BaseDirectory {
        final List<String> calls = new ArrayList<>();

        @EventHandler
        void opened(Opened event) {
            calls.add("base opened");
        }

        @EventHandler
        void closed(Closed event) {
            calls.add("base closed");
        }
    }

    static class OverridingDirectory extends BaseDirectory {
        @Override
        @EventHandler
        void opened(Opened event) {
            calls.add("sub opened");
        }

        @Override
        void closed(Closed event) {
            // as a Spring proxy overrides a bean's methods, without their annotations
            calls.add("unannotated sub closed");
        }
    }

    static class PrivateTwinBase implements Aggregate {
        @EventHandler
        private void opened(Opened event) {
        }
    }

    static class PrivateTwinAccount extends PrivateTwinBase {
        @EventHandler
        private void opened(Opened event) {
        }
    }

    @Projection("private-twin")
    static class PrivateTwinBaseDirectory {
        @EventHandler
        private void opened(Opened event) {
        }
    }

    static class PrivateTwinDirectory extends PrivateTwinBaseDirectory {
        @EventHandler
        private void opened(Opened event) {
        }
    }

    @Nested
    class Overrides {

        @Test
        void anOverriddenHandlerIsOneHandlerOnAnAggregate() {
            OverridingAccount account = replay(new OverridingAccount(), new Opened("a", 1, AT), new Closed("a", 2, AT));

            assertThat(account.calls).containsExactly("sub opened", "unannotated sub closed");
        }

        @Test
        void anOverriddenHandlerIsOneHandlerOnAProjection() throws Exception {
            OverridingDirectory directory = project(new OverridingDirectory(), new Opened("a", 1, AT),
                    new Closed("a", 2, AT));

            assertThat(directory.calls).containsExactly("sub opened", "unannotated sub closed");
            assertThat(ProjectionHandler.of(new OverridingDirectory()).eventTypes())
                    .containsExactlyInAnyOrder(Opened.class, Closed.class);
        }

        @Test
        void samePrivateMethodInClassAndSuperclassIsTwoHandlersOnBoth() {
            // a private method overrides nothing: both are handlers of Opened
            Throwable onAggregate = aggregateFailure(PrivateTwinAccount.class);
            Throwable onProjection = projectionFailure(new PrivateTwinDirectory());

            assertThat(onAggregate).hasMessageContaining("handles event Opened, as does opened(Opened)");
            assertThat(onProjection).hasMessageContaining("handles event Opened, as does opened(Opened)");
        }
    }

    // ---- sealed and abstract parameters ----

    static class Shapes implements Aggregate {
        final List<String> calls = new ArrayList<>();

        @EventHandler
        void anyShape(Shape shape) {
            calls.add("shape:" + shape.getClass().getSimpleName());
        }

        @EventHandler
        void circle(Circle circle) {
            calls.add("circle");
        }
    }

    @Projection("shapes")
    static class ShapeCounts {
        final List<String> calls = new ArrayList<>();

        @EventHandler
        void anyShape(Shape shape) {
            calls.add("shape:" + shape.getClass().getSimpleName());
        }

        @EventHandler
        void circle(Circle circle, StoredEvent stored) {
            calls.add("circle@" + stored.position());
        }
    }

    static class Lifecycles implements Aggregate {
        final List<String> calls = new ArrayList<>();

        @EventHandler
        void any(Lifecycle event) {
            calls.add(event.getClass().getSimpleName());
        }
    }

    @Projection("lifecycles")
    static class LifecycleLog {
        @EventHandler
        void any(Lifecycle event) {
        }
    }

    @Nested
    class SealedParameters {

        @Test
        void anAggregateSendsEachShapeToItsMostSpecificHandler() {
            Shapes shapes = replay(new Shapes(), new Circle("s", 1, AT), new Square("s", 2, AT));

            assertThat(shapes.calls).containsExactly("circle", "shape:Square");
            assertThat(HandlerMethods.of(Shapes.class, HandlerMethods.Owner.AGGREGATE).eventTypes())
                    .containsExactlyInAnyOrder(Circle.class, Square.class);
        }

        @Test
        void aProjectionSendsEachShapeToItsMostSpecificHandler() throws Exception {
            ShapeCounts counts = project(new ShapeCounts(), new Circle("s", 1, AT), new Square("s", 2, AT),
                    new Opened("o", 1, AT));

            assertThat(counts.calls).containsExactly("circle@1", "shape:Square");
        }

        @Test
        void aProjectionReadsThePermittedClassesOfASealedParameterAndPassesOverOthers() {
            ProjectionHandler handler = ProjectionHandler.of(new ShapeCounts());

            assertThat(handler.eventTypes()).containsExactlyInAnyOrder(Circle.class, Square.class);
            assertThat(handler.handles("Circle")).isTrue();
            assertThat(handler.handles("Square")).isTrue();
            assertThat(handler.handles("Opened")).isFalse();
        }

        @Test
        void anUnsealedInterfaceIsAcceptedOnAnAggregateAndRefusedOnAProjectionWhichMustNameItsTypes() {
            Lifecycles lifecycles = replay(new Lifecycles(), new Archived("l", 1, AT));
            assertThat(lifecycles.calls).containsExactly("Archived");

            assertThat(projectionFailure(new LifecycleLog()))
                    .hasMessageContaining(LifecycleLog.class.getName() + ".any(Lifecycle)")
                    .hasMessageContaining("takes " + Lifecycle.class.getName() + ", which is abstract and not sealed")
                    .hasMessageContaining("seal Lifecycle");
        }
    }

    // ---- malformed handlers: the same words on both ----

    static class StaticAccount implements Aggregate {
        @EventHandler
        static void opened(Opened event) {
        }
    }

    @Projection("static")
    static class StaticDirectory {
        @EventHandler
        static void opened(Opened event) {
        }
    }

    static class ReturningAccount implements Aggregate {
        @EventHandler
        int opened(Opened event) {
            return 1;
        }
    }

    @Projection("returning")
    static class ReturningDirectory {
        @EventHandler
        int opened(Opened event) {
            return 1;
        }
    }

    static class NotAnEventAccount implements Aggregate {
        @EventHandler
        void opened(String event) {
        }
    }

    @Projection("not-an-event")
    static class NotAnEventDirectory {
        @EventHandler
        void opened(String event) {
        }
    }

    static class DuplicateAccount implements Aggregate {
        @EventHandler
        void first(Opened event) {
        }

        @EventHandler
        void second(Opened event) {
        }
    }

    @Projection("duplicate")
    static class DuplicateDirectory {
        @EventHandler
        void first(Opened event) {
        }

        @EventHandler
        void second(Opened event) {
        }
    }

    @Projection("duplicate-with-stored-event")
    static class DuplicateWithStoredEventDirectory {
        @EventHandler
        void first(Opened event) {
        }

        @EventHandler
        void second(Opened event, StoredEvent stored) {
        }
    }

    static class NoParameterAccount implements Aggregate {
        @EventHandler
        void opened() {
        }
    }

    @Projection("no-parameter")
    static class NoParameterDirectory {
        @EventHandler
        void opened() {
        }
    }

    static class StoredEventAccount implements Aggregate {
        @EventHandler
        void opened(Opened event, StoredEvent stored) {
        }
    }

    @Projection("extra-parameter")
    static class ExtraParameterDirectory {
        @EventHandler
        void opened(Opened event, String extra) {
        }
    }

    @Nested
    class MalformedHandlers {

        @Test
        void aStaticHandler() {
            assertSameProblem(StaticAccount.class, new StaticDirectory(),
                    "<class>.opened(Opened) is static; an @EventHandler must be an instance method");
        }

        @Test
        void aHandlerReturningAValue() {
            assertSameProblem(ReturningAccount.class, new ReturningDirectory(),
                    "<class>.opened(Opened) returns int, but an @EventHandler must return void");
        }

        @Test
        void aParameterThatIsNotAnEvent() {
            Throwable onAggregate = aggregateFailure(NotAnEventAccount.class);
            Throwable onProjection = projectionFailure(new NotAnEventDirectory());

            assertThat(onAggregate).hasMessageContaining(NotAnEventAccount.class.getName()
                    + ".opened(String) takes java.lang.String, which does not implement dev.eventsource.Event");
            assertThat(onProjection).hasMessageContaining(NotAnEventDirectory.class.getName()
                    + ".opened(String) takes java.lang.String, which does not implement dev.eventsource.Event");
        }

        @Test
        void twoHandlersForOneEventType() {
            assertSameProblem(DuplicateAccount.class, new DuplicateDirectory(),
                    "<class>.second(Opened) handles event Opened, as does first(Opened); keep one @EventHandler per"
                            + " event type");
            assertThat(projectionFailure(new DuplicateWithStoredEventDirectory()))
                    .hasMessageContaining(".second(Opened, StoredEvent) handles event Opened, as does first(Opened)");
        }

        @Test
        void theParametersEachOwnerTakes() {
            assertThat(aggregateFailure(NoParameterAccount.class)).hasMessageContaining(
                    ".opened() takes 0 parameters; an aggregate's @EventHandler takes exactly one, the event");
            assertThat(projectionFailure(new NoParameterDirectory())).hasMessageContaining(
                    ".opened() takes 0 parameters; a projection's @EventHandler takes the event, optionally"
                            + " followed by its StoredEvent");
            // an aggregate replays events without their stored form, so it cannot take one
            assertThat(aggregateFailure(StoredEventAccount.class)).hasMessageContaining(
                    ".opened(Opened, StoredEvent) takes 2 parameters; an aggregate's @EventHandler takes exactly one");
            assertThat(projectionFailure(new ExtraParameterDirectory())).hasMessageContaining(
                    ".opened(Opened, String) takes 2 parameters; a projection's @EventHandler takes the event,"
                            + " optionally followed by its StoredEvent");
        }

        @Test
        void anInheritedHandlerIsNamedWithTheClassBeingChecked() {
            class Child extends StaticDirectory {
            }
            assertThat(projectionFailure(new Child()))
                    .hasMessageContaining(StaticDirectory.class.getName() + ".opened(Opened) is static");
        }

        private void assertSameProblem(Class<? extends Aggregate> aggregate, Object projection, String expected) {
            String onAggregate = problem(aggregateFailure(aggregate), aggregate);
            String onProjection = problem(projectionFailure(projection), projection.getClass());

            assertThat(onAggregate).startsWith("Aggregate <class>: ").contains(expected);
            assertThat(onProjection).startsWith("Projection <class>: ").contains(expected);
            assertThat(onAggregate.substring("Aggregate ".length()))
                    .isEqualTo(onProjection.substring("Projection ".length()));
        }
    }

    // ---- one model per class, dispatch without reflection ----

    @Projection("stack")
    static class StackRecorder {
        StackTraceElement[] stack;

        @EventHandler
        void opened(Opened event) {
            stack = new Throwable().getStackTrace();
        }
    }

    @Nested
    class Caching {

        @Test
        void theHandlersOfAClassAreFoundOncePerOwner() {
            assertThat(HandlerMethods.of(StackRecorder.class, HandlerMethods.Owner.PROJECTION))
                    .isSameAs(HandlerMethods.of(StackRecorder.class, HandlerMethods.Owner.PROJECTION));
        }

        @Test
        void aProjectionDispatchesWithoutReflection() throws Exception {
            StackRecorder recorder = new StackRecorder();
            ProjectionHandler.of(recorder).handle(new StoredEvent(new Opened("a", 1, AT), Map.of(), 1));

            List<String> dispatch = new ArrayList<>();
            for (StackTraceElement frame : recorder.stack) {
                if (frame.getClassName().startsWith(HandlerRulesTest.class.getName() + "$Caching")) {
                    break;
                }
                dispatch.add(frame.getClassName() + "." + frame.getMethodName());
            }
            assertThat(dispatch).containsExactly(
                    StackRecorder.class.getName() + ".opened",
                    ProjectionHandler.class.getName() + ".handle");
        }
    }
}
