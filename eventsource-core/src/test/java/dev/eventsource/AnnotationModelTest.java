package dev.eventsource;

import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.internal.AggregateModel;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnnotationModelTest {

    static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

    record Opened(String aggregateId, long version, Instant at) implements Event {
    }

    record Deposited(String aggregateId, long version, Instant at, long amount) implements Event {
    }

    record NotHandled(String aggregateId, long version, Instant at) implements Event {
    }

    sealed interface Shape extends Event permits Circle, Square {
    }

    record Circle(String aggregateId, long version, Instant at) implements Shape {
    }

    record Square(String aggregateId, long version, Instant at) implements Shape {
    }

    record Open(String aggregateId) implements Command {
    }

    record Deposit(String aggregateId, long amount) implements Command {
    }

    record Nothing(String aggregateId) implements Command {
    }

    record Unknown(String aggregateId) implements Command {
    }

    static <A extends Aggregate> A replay(A aggregate, Event... events) {
        for (Event event : events) {
            aggregate.on(event);
        }
        return aggregate;
    }

    // ---- malformed aggregates ----

    static class NoParameter implements Aggregate {
        @EventHandler
        void opened() {
        }
    }

    static class TwoParameters implements Aggregate {
        @EventHandler
        void opened(Opened event, String extra) {
        }
    }

    static class ParameterNotAnEvent implements Aggregate {
        @EventHandler
        void opened(String event) {
        }
    }

    static class TwoHandlersForOneType implements Aggregate {
        @EventHandler
        void first(Opened event) {
        }

        @EventHandler
        void second(Opened event) {
        }
    }

    static class ReturnsAValue implements Aggregate {
        @EventHandler
        int opened(Opened event) {
            return 1;
        }
    }

    static class StaticHandler implements Aggregate {
        @EventHandler
        static void opened(Opened event) {
        }
    }

    static class BothAnnotations implements Aggregate {
        @EventHandler
        @CommandHandler
        void opened(Opened event) {
        }
    }

    static class CommandHandlerReturnsString implements Aggregate {
        @CommandHandler
        String handle(Open command) {
            return "nope";
        }
    }

    static class CommandHandlerTakesAnEvent implements Aggregate {
        @CommandHandler
        List<Event> handle(Opened notACommand) {
            return List.of();
        }
    }

    static class TwoCommandHandlersForOneType implements Aggregate {
        @CommandHandler
        Event first(Open command) {
            return null;
        }

        @CommandHandler
        Event second(Open command) {
            return null;
        }
    }

    static class NoNoArgConstructor extends AggregateRoot {
        NoNoArgConstructor(String name) {
        }

        @EventHandler
        void opened(Opened event) {
        }
    }

    abstract static class AbstractAggregate extends AggregateRoot {
        @EventHandler
        void opened(Opened event) {
        }
    }

    @Nested
    class MalformedHandlersFailWhenTheModelIsBuilt {

        @Test
        void noParameter() {
            assertInvalid(NoParameter.class, "opened()", "takes 0 parameters");
        }

        @Test
        void twoParameters() {
            assertInvalid(TwoParameters.class, "opened(Opened, String)", "takes 2 parameters");
        }

        @Test
        void parameterNotAnEvent() {
            assertInvalid(ParameterNotAnEvent.class, "opened(String)", "does not implement dev.eventsource.Event");
        }

        @Test
        void twoHandlersForOneType() {
            assertInvalid(TwoHandlersForOneType.class, "second(Opened)", "first(Opened)");
            assertThatThrownBy(() -> AggregateModel.of(TwoHandlersForOneType.class))
                    .isInstanceOfSatisfying(InvalidHandlerException.class, failure -> assertThat(failure.problem())
                            .isEqualTo(InvalidHandlerException.Problem.DUPLICATE_HANDLER));
        }

        @Test
        void nonVoidReturn() {
            assertInvalid(ReturnsAValue.class, "opened(Opened)", "must return void");
        }

        @Test
        void staticMethod() {
            assertInvalid(StaticHandler.class, "opened(Opened)", "is static");
        }

        @Test
        void bothAnnotations() {
            assertInvalid(BothAnnotations.class, "opened(Opened)", "both @EventHandler and @CommandHandler");
        }

        @Test
        void commandHandlerReturningNeitherEventsNorAnEvent() {
            assertInvalid(CommandHandlerReturnsString.class, "handle(Open)", "java.lang.String");
        }

        @Test
        void commandHandlerTakingSomethingOtherThanACommand() {
            assertInvalid(CommandHandlerTakesAnEvent.class, "handle(Opened)", "does not implement dev.eventsource.Command");
        }

        @Test
        void twoCommandHandlersForOneType() {
            assertInvalid(TwoCommandHandlersForOneType.class, "second(Open)", "first(Open)");
        }

        @Test
        void theFailureRepeatsOnEveryUseAndAlsoWhenReplaying() {
            assertInvalid(TwoParameters.class, "opened(Opened, String)", "takes 2 parameters");
            assertThatThrownBy(() -> new TwoParameters().on(new Opened("a", 1, AT)))
                    .isInstanceOf(InvalidHandlerException.class)
                    .hasMessageContaining(TwoParameters.class.getName() + ".opened(Opened, String)");
        }

        @Test
        void missingNoArgConstructorSaysWhatToDo() {
            assertThatThrownBy(() -> Repository.builder(NoNoArgConstructor.class))
                    .isInstanceOf(InvalidHandlerException.class)
                    .hasMessageContaining(NoNoArgConstructor.class.getName())
                    .hasMessageContaining("no no-argument constructor")
                    .hasMessageContaining("Repository.builder(type, factory)")
                    .isInstanceOfSatisfying(InvalidHandlerException.class, failure -> {
                        assertThat(failure.problem()).isEqualTo(InvalidHandlerException.Problem.NO_CONSTRUCTOR);
                        assertThat(failure.type()).isEqualTo(NoNoArgConstructor.class);
                        assertThat(failure.method()).isNull();
                    });
        }

        @Test
        void aFactoryReplacesTheNoArgConstructor() {
            Repository<NoNoArgConstructor> repository =
                    Repository.builder(NoNoArgConstructor.class, () -> new NoNoArgConstructor("x")).build();
            repository.save(new Opened("acc-1", 1, AT));

            assertThat(repository.load("acc-1").version()).isEqualTo(1);
        }

        @Test
        void abstractAggregateIsRefused() {
            assertThatThrownBy(() -> Repository.builder(AbstractAggregate.class))
                    .isInstanceOf(InvalidHandlerException.class)
                    .hasMessageContaining(AbstractAggregate.class.getName())
                    .hasMessageContaining("abstract")
                    .isInstanceOfSatisfying(InvalidHandlerException.class, failure -> assertThat(failure.problem())
                            .isEqualTo(InvalidHandlerException.Problem.ABSTRACT));
        }

        private void assertInvalid(Class<? extends Aggregate> type, String method, String problem) {
            assertThatThrownBy(() -> Repository.builder(type))
                    .isInstanceOf(InvalidHandlerException.class)
                    .hasMessageContaining(type.getName() + "." + method)
                    .hasMessageContaining(problem);
            assertThatThrownBy(() -> AggregateModel.of(type))
                    .isInstanceOf(InvalidHandlerException.class)
                    .hasMessageContaining(type.getName() + "." + method)
                    .isInstanceOfSatisfying(InvalidHandlerException.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(InvalidHandlerException.Kind.AGGREGATE);
                        assertThat(failure.type()).isEqualTo(type);
                        assertThat(failure.method()).isNotNull();
                        assertThat(failure.method().getName()).isEqualTo(method.substring(0, method.indexOf('(')));
                    });
        }
    }

    // ---- dispatch ----

    static class Account extends AggregateRoot {
        final List<String> calls = new ArrayList<>();
        long balance;

        @EventHandler
        private void opened(Opened event) {
            calls.add("opened");
        }

        @EventHandler
        private void deposited(Deposited event) {
            calls.add("deposited");
            balance += event.amount();
        }

        @CommandHandler
        private List<Event> handle(Open command) {
            return List.of(new Opened(command.aggregateId(), nextVersion(), AT));
        }

        @CommandHandler
        private Event handle(Deposit command) {
            if (command.amount() <= 0) {
                throw new IllegalStateException("deposit must be positive, got " + command.amount());
            }
            return new Deposited(command.aggregateId(), nextVersion(), AT, command.amount());
        }

        @CommandHandler
        private Collection<Event> handle(Nothing command) {
            return List.of();
        }
    }

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

    static class BaseAccount extends AggregateRoot {
        final List<String> calls = new ArrayList<>();

        @EventHandler
        void opened(Opened event) {
            calls.add("base opened");
        }

        @EventHandler
        private void deposited(Deposited event) {
            calls.add("base deposited");
        }
    }

    static class SubAccount extends BaseAccount {
        @Override
        @EventHandler
        void opened(Opened event) {
            calls.add("sub opened");
        }
    }

    static class UnannotatedOverride extends BaseAccount {
        @Override
        void opened(Opened event) {
            calls.add("unannotated override");
        }
    }

    static class SelfHandling implements Aggregate, dev.eventsource.CommandHandler {
        int opened;

        @EventHandler
        void opened(Opened event) {
            opened++;
        }

        @Override
        public List<? extends Event> apply(Command command) {
            return List.of(new Opened(command.aggregateId(), opened + 1, AT));
        }
    }

    static class HandWritten implements Aggregate {
        final List<Event> seen = new ArrayList<>();

        @Override
        public void on(Event event) {
            seen.add(event);
        }
    }

    static class StackRecorder implements Aggregate {
        StackTraceElement[] stack;

        @EventHandler
        void opened(Opened event) {
            stack = new Throwable().getStackTrace();
        }
    }

    @Nested
    class Dispatch {

        @Test
        void privateHandlersAreCalled() {
            Account account = replay(new Account(), new Opened("a", 1, AT), new Deposited("a", 2, AT, 30));

            assertThat(account.calls).containsExactly("opened", "deposited");
            assertThat(account.balance).isEqualTo(30);
            assertThat(account.id()).isEqualTo("a");
            assertThat(account.version()).isEqualTo(2);
        }

        @Test
        void unhandledEventNamesAggregateClassAndEventType() {
            Account account = new Account();

            assertThatThrownBy(() -> account.on(new NotHandled("a", 1, AT)))
                    .isInstanceOf(UnhandledEventException.class)
                    .hasMessageContaining(Account.class.getName())
                    .hasMessageContaining("NotHandled")
                    .satisfies(e -> {
                        UnhandledEventException unhandled = (UnhandledEventException) e;
                        assertThat(unhandled.aggregateType()).isEqualTo(Account.class);
                        assertThat(unhandled.eventType()).isEqualTo("NotHandled");
                    });
            assertThat(account.version()).isZero();
        }

        @Test
        void nullEventIsRefused() {
            assertThatThrownBy(() -> new Account().on(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(Account.class.getName());
        }

        @Test
        void mostSpecificHandlerWins() {
            Shapes shapes = replay(new Shapes(), new Circle("s", 1, AT), new Square("s", 2, AT), new Circle("s", 3, AT));

            assertThat(shapes.calls).containsExactly("circle", "shape:Square", "circle");
        }

        @Test
        void sealedParameterBindsItsPermittedRecords() {
            assertThat(AggregateModel.of(Shapes.class).eventTypes()).containsExactlyInAnyOrder(Circle.class, Square.class);
        }

        @Test
        void eventTypesAreTheHandlerParameters() {
            assertThat(AggregateModel.of(Account.class).eventTypes()).containsExactly(Deposited.class, Opened.class);
            assertThat(AggregateModel.of(Account.class).commandTypes())
                    .containsExactlyInAnyOrder(Open.class, Deposit.class, Nothing.class);
        }

        @Test
        void inheritedHandlersWorkAndAnOverrideIsRegisteredOnce() {
            SubAccount account = replay(new SubAccount(), new Opened("a", 1, AT), new Deposited("a", 2, AT, 5));

            assertThat(account.calls).containsExactly("sub opened", "base deposited");
            assertThat(AggregateModel.of(SubAccount.class).eventTypes()).containsExactlyInAnyOrder(Opened.class, Deposited.class);
        }

        @Test
        void anUnannotatedOverrideStillReceivesTheEvent() {
            UnannotatedOverride account = replay(new UnannotatedOverride(), new Opened("a", 1, AT));

            assertThat(account.calls).containsExactly("unannotated override");
        }

        @Test
        void aHandWrittenOnNeedsNoAnnotations() {
            HandWritten aggregate = replay(new HandWritten(), new NotHandled("a", 1, AT));

            assertThat(aggregate.seen).hasSize(1);
        }

        @Test
        void modelIsBuiltOnceAndDispatchUsesNoReflection() {
            assertThat(AggregateModel.of(StackRecorder.class)).isSameAs(AggregateModel.of(StackRecorder.class));

            StackRecorder recorder = replay(new StackRecorder(), new Opened("a", 1, AT));

            // The frames between the handler and the test's replay(...): the library's dispatch path only.
            List<String> dispatch = new ArrayList<>();
            for (StackTraceElement frame : recorder.stack) {
                if (frame.getClassName().equals(AnnotationModelTest.class.getName())) {
                    break;
                }
                dispatch.add(frame.getClassName() + "." + frame.getMethodName());
            }
            assertThat(dispatch).containsExactly(
                    StackRecorder.class.getName() + ".opened",
                    AggregateModel.class.getName() + ".applyEvent",
                    Aggregate.class.getName() + ".on");
        }
    }

    @Nested
    class Commands {

        @Test
        void commandHandlerReturningAListASingleEventOrAnEmptyList() {
            Repository<Account> accounts = Repository.builder(Account.class).build();

            assertThat(accounts.apply(new Open("acc-1"))).isEqualTo(1);
            assertThat(accounts.apply(new Deposit("acc-1", 20))).isEqualTo(2);
            assertThatThrownBy(() -> accounts.apply(new Nothing("acc-1")))
                    .isInstanceOf(NoEventsProducedException.class)
                    .hasMessageContaining("Nothing")
                    .hasMessageContaining("'acc-1'");

            assertThat(accounts.load("acc-1").balance).isEqualTo(20);
            assertThat(accounts.load("acc-1").version()).isEqualTo(2);
        }

        @Test
        void anExceptionOfTheHandlerReachesTheCallerUnchanged() {
            Repository<Account> accounts = Repository.builder(Account.class).build();
            accounts.apply(new Open("acc-1"));

            assertThatThrownBy(() -> accounts.apply(new Deposit("acc-1", -5)))
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessage("deposit must be positive, got -5");
            assertThat(accounts.load("acc-1").version()).isEqualTo(1);
        }

        @Test
        void anAggregateImplementingCommandHandler() {
            Repository<SelfHandling> repository = Repository.builder(SelfHandling.class).build();

            assertThat(repository.apply(new Open("s-1"))).isEqualTo(1);
            assertThat(repository.apply(new Unknown("s-1"))).isEqualTo(2);
            assertThat(repository.load("s-1").opened).isEqualTo(2);
        }

        @Test
        void aCommandWithoutHandlerNamesAggregateAndCommand() {
            Repository<Account> accounts = Repository.builder(Account.class).build();

            assertThatThrownBy(() -> accounts.apply(new Unknown("acc-1")))
                    .isInstanceOf(UnhandledCommandException.class)
                    .hasMessageContaining(Account.class.getName())
                    .hasMessageContaining(Unknown.class.getName())
                    .hasMessageContaining("@CommandHandler");
            assertThatThrownBy(() -> accounts.load("acc-1")).isInstanceOf(AggregateNotFoundException.class);
        }
    }
}
