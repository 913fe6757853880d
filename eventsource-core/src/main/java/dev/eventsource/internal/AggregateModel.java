package dev.eventsource.internal;

import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.EventSourceException;
import dev.eventsource.InvalidHandlerException;
import dev.eventsource.InvalidHandlerException.Kind;
import dev.eventsource.InvalidHandlerException.Problem;
import dev.eventsource.UnhandledCommandException;
import dev.eventsource.UnhandledEventException;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.internal.HandlerMethods.Dispatch;
import dev.eventsource.internal.HandlerMethods.Handler;
import dev.eventsource.internal.HandlerMethods.Owner;

import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handler model of one aggregate class: its {@code @EventHandler} methods (found and checked by
 * {@link HandlerMethods}, by the rules projections share) and its {@code @CommandHandler} methods, as method
 * handles, built once per class and cached. Building fails fast on a malformed method, naming the class and the
 * method.
 */
public final class AggregateModel {

    private static final MethodType COMMAND_HANDLER_TYPE = MethodType.methodType(Object.class, Object.class, Object.class);

    private static final ClassValue<AggregateModel> MODELS = new ClassValue<>() {
        @Override
        protected AggregateModel computeValue(Class<?> type) {
            return new AggregateModel(type);
        }
    };

    private final Class<?> type;
    private final HandlerMethods eventHandlers;
    private final Dispatch commandHandlers;
    private final Set<Method> creators = new HashSet<>();

    private AggregateModel(Class<?> type) {
        this.type = type;
        List<Method> commandMethods = HandlerMethods.annotatedMethods(type, CommandHandler.class);
        for (Method method : commandMethods) {
            if (method.isAnnotationPresent(EventHandler.class)) {
                throw HandlerMethods.invalid(Owner.AGGREGATE, type, method,
                        "is annotated both @EventHandler and @CommandHandler; keep one");
            }
        }
        this.eventHandlers = HandlerMethods.of(type, Owner.AGGREGATE);
        Map<Class<?>, Handler> commands = new LinkedHashMap<>();
        for (Method method : commandMethods) {
            addCommandHandler(commands, method);
            if (method.getAnnotation(CommandHandler.class).creates()) {
                creators.add(method);
            }
        }
        this.commandHandlers = new Dispatch(commands);
    }

    /**
     * Returns the model of a class, building and caching it on first use.
     *
     * @param type the aggregate class
     * @return its model
     * @throws InvalidHandlerException when a handler method is malformed
     */
    public static AggregateModel of(Class<?> type) {
        try {
            return MODELS.get(type);
        } catch (InvalidHandlerException e) {
            // ClassValue does not cache failures; rethrow a fresh copy so the stack shows this call.
            throw HandlerMethods.copy(e);
        }
    }

    /** @return the aggregate class */
    public Class<?> type() {
        return type;
    }

    /** @return whether the class declares any {@code @EventHandler} method */
    public boolean hasEventHandlers() {
        return !eventHandlers.isEmpty();
    }

    /** @return whether the class declares any {@code @CommandHandler} method */
    public boolean hasCommandHandlers() {
        return !commandHandlers.types().isEmpty();
    }

    /**
     * Returns the concrete event classes the handlers accept: each parameter type that is a concrete class, and
     * the permitted subclasses of a sealed parameter type. These are the classes to bind to a serializer.
     *
     * @return the event classes, in declaration order
     */
    public Set<Class<? extends Event>> eventTypes() {
        return eventHandlers.eventTypes();
    }

    /** @return the command classes handled by {@code @CommandHandler} methods */
    public Set<Class<?>> commandTypes() {
        return commandHandlers.types();
    }

    /**
     * Applies an event through the most specific {@code @EventHandler} for its class.
     *
     * @param aggregate the aggregate instance, of this model's class
     * @param event the event
     * @throws UnhandledEventException when no handler accepts the event
     */
    public void applyEvent(Object aggregate, Event event) {
        if (event == null) {
            throw new IllegalArgumentException("Cannot apply a null event to " + type.getName());
        }
        Handler handler = eventHandlers.resolve(event.getClass());
        if (handler == null) {
            throw new UnhandledEventException(type, event);
        }
        try {
            handler.handle().invokeExact(aggregate, (Object) event);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new EventSourceException(handler.describe() + " threw " + e, e);
        }
    }

    /**
     * Handles a command through the most specific {@code @CommandHandler} for its class.
     *
     * @param aggregate the aggregate instance
     * @param command the command
     * @return the produced events, possibly empty
     * @throws UnhandledCommandException when no handler accepts the command
     */
    public List<? extends Event> handleCommand(Object aggregate, Command command) {
        Handler handler = commandHandlers.resolve(command.getClass());
        if (handler == null) {
            throw new UnhandledCommandException(type, command.getClass());
        }
        Object result;
        try {
            result = handler.handle().invokeExact(aggregate, (Object) command);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new EventSourceException(handler.describe() + " threw " + e, e);
        }
        return toEvents(handler, result);
    }

    /**
     * Returns whether the {@code @CommandHandler} for a command class is declared to create its aggregate
     * ({@code @CommandHandler(creates = true)}).
     *
     * @param commandType the command's class
     * @return whether its handler creates the aggregate; false when no handler accepts it
     */
    public boolean createsAggregate(Class<?> commandType) {
        if (creators.isEmpty()) {
            return false;
        }
        Handler handler = commandHandlers.resolve(commandType);
        return handler != null && creators.contains(handler.method());
    }

    /**
     * Creates an empty aggregate through the no-argument constructor (which may be private).
     *
     * @return the new instance
     * @throws InvalidHandlerException when the class has no no-argument constructor or is abstract
     */
    public Object newInstance() {
        return ConstructorHolder.of(type).get();
    }

    /**
     * Checks that the class can be instantiated, without creating an instance.
     *
     * @throws InvalidHandlerException when it has no no-argument constructor or is abstract
     */
    public void requireNoArgConstructor() {
        ConstructorHolder.of(type);
    }

    private void addCommandHandler(Map<Class<?>, Handler> handlers, Method method) {
        Class<?> parameter = commandParameter(method);
        Class<?> returns = method.getReturnType();
        if (!Collection.class.isAssignableFrom(returns) && !Event.class.isAssignableFrom(returns)) {
            throw HandlerMethods.invalid(Owner.AGGREGATE, type, method, "must return the produced events, as a"
                    + " List<Event> or a single Event, not " + returns.getName());
        }
        Handler handler = new Handler(method, HandlerMethods.unreflect(Owner.AGGREGATE, type, method,
                COMMAND_HANDLER_TYPE), false);
        HandlerMethods.putUnique(Owner.AGGREGATE, type, handlers, parameter, handler, "@CommandHandler", "command");
    }

    private Class<?> commandParameter(Method method) {
        if (Modifier.isStatic(method.getModifiers())) {
            throw HandlerMethods.invalid(Owner.AGGREGATE, type, method,
                    "is static; a @CommandHandler must be an instance method");
        }
        if (method.getParameterCount() != 1) {
            throw HandlerMethods.invalid(Owner.AGGREGATE, type, method, "takes " + method.getParameterCount()
                    + " parameters; a @CommandHandler takes exactly one, the command");
        }
        Class<?> parameter = method.getParameterTypes()[0];
        if (!Command.class.isAssignableFrom(parameter)) {
            throw HandlerMethods.invalid(Owner.AGGREGATE, type, method, "takes " + parameter.getName()
                    + ", which does not implement " + Command.class.getName() + "; a @CommandHandler takes the command");
        }
        return parameter;
    }

    private static List<? extends Event> toEvents(Handler handler, Object result) {
        if (result == null) {
            return List.of();
        }
        if (result instanceof Event event) {
            return List.of(event);
        }
        List<Event> events = new ArrayList<>();
        for (Object element : (Collection<?>) result) {
            if (element != null && !(element instanceof Event)) {
                throw new InvalidHandlerException(handler.describe() + " returned " + element.getClass().getName()
                        + ", which does not implement dev.eventsource.Event", Kind.AGGREGATE, Problem.RESULT,
                        handler.method().getDeclaringClass(), handler.method());
            }
            events.add((Event) element);
        }
        return events;
    }

    /** Finds the no-argument constructor once per class. */
    private static final class ConstructorHolder {
        private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>() {
            @Override
            protected Constructor<?> computeValue(Class<?> type) {
                if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                    throw new InvalidHandlerException("Aggregate " + type.getName()
                            + " is abstract; the repository needs a concrete class to create empty aggregates",
                            Kind.AGGREGATE, Problem.ABSTRACT, type, null);
                }
                try {
                    Constructor<?> constructor = type.getDeclaredConstructor();
                    constructor.setAccessible(true);
                    return constructor;
                } catch (NoSuchMethodException e) {
                    throw new InvalidHandlerException("Aggregate " + type.getName()
                            + " has no no-argument constructor; add one (it may be private), or give the repository a "
                            + "factory with Repository.builder(type, factory)", Kind.AGGREGATE, Problem.NO_CONSTRUCTOR,
                            type, null, e);
                }
            }
        };

        static java.util.function.Supplier<Object> of(Class<?> type) {
            Constructor<?> constructor;
            try {
                constructor = CONSTRUCTORS.get(type);
            } catch (InvalidHandlerException e) {
                throw HandlerMethods.copy(e);
            }
            return () -> {
                try {
                    return constructor.newInstance();
                } catch (java.lang.reflect.InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new EventSourceException("Constructor of " + type.getName() + " threw " + cause, cause);
                } catch (ReflectiveOperationException e) {
                    throw new InvalidHandlerException("Cannot create " + type.getName() + ": " + e, Kind.AGGREGATE,
                            Problem.NO_CONSTRUCTOR, type, null, e);
                }
            };
        }
    }
}
