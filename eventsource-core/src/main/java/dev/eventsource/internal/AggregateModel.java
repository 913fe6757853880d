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
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handler model of one aggregate class: its {@code @EventHandler} and {@code @CommandHandler} methods as
 * method handles, built once per class and cached. Building fails fast on a malformed method, naming the class
 * and the method.
 */
public final class AggregateModel {

    private static final MethodType EVENT_HANDLER_TYPE = MethodType.methodType(void.class, Object.class, Object.class);
    private static final MethodType COMMAND_HANDLER_TYPE = MethodType.methodType(Object.class, Object.class, Object.class);

    private static final ClassValue<AggregateModel> MODELS = new ClassValue<>() {
        @Override
        protected AggregateModel computeValue(Class<?> type) {
            return new AggregateModel(type);
        }
    };

    private final Class<?> type;
    private final Map<Class<?>, Handler> eventHandlers;
    private final Map<Class<?>, Handler> commandHandlers;
    private final Set<Class<? extends Event>> eventTypes;
    /** Resolved handlers per concrete event class, including the most-specific match for subtypes. */
    private final Map<Class<?>, Handler> resolvedEvents = new ConcurrentHashMap<>();
    private final Map<Class<?>, Handler> resolvedCommands = new ConcurrentHashMap<>();

    private AggregateModel(Class<?> type) {
        this.type = type;
        Map<Class<?>, Handler> events = new LinkedHashMap<>();
        Map<Class<?>, Handler> commands = new LinkedHashMap<>();
        Set<String> seenSignatures = new LinkedHashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : sorted(c.getDeclaredMethods())) {
                boolean isEventHandler = method.isAnnotationPresent(EventHandler.class);
                boolean isCommandHandler = method.isAnnotationPresent(CommandHandler.class);
                if (!isEventHandler && !isCommandHandler || method.isBridge() || method.isSynthetic()) {
                    // javac copies annotations onto bridge methods; the real method is registered instead
                    continue;
                }
                String signature = method.getName() + List.of(method.getParameterTypes());
                if (!Modifier.isPrivate(method.getModifiers()) && !seenSignatures.add(signature)) {
                    continue; // overridden by a subclass method already taken
                }
                if (isEventHandler && isCommandHandler) {
                    throw invalid(method, Problem.SIGNATURE,
                            "is annotated both @EventHandler and @CommandHandler; keep one");
                }
                if (isEventHandler) {
                    addEventHandler(events, method);
                } else {
                    addCommandHandler(commands, method);
                }
            }
        }
        this.eventHandlers = Collections.unmodifiableMap(events);
        this.commandHandlers = Collections.unmodifiableMap(commands);
        this.eventTypes = Collections.unmodifiableSet(collectEventTypes(events.keySet()));
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
            throw copy(e);
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
        return !commandHandlers.isEmpty();
    }

    /**
     * Returns the concrete event classes the handlers accept: each parameter type that is a concrete class, and
     * the permitted subclasses of a sealed parameter type. These are the classes to bind to a serializer.
     *
     * @return the event classes, in declaration order
     */
    public Set<Class<? extends Event>> eventTypes() {
        return eventTypes;
    }

    /** @return the command classes handled by {@code @CommandHandler} methods */
    public Set<Class<?>> commandTypes() {
        return commandHandlers.keySet();
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
        Handler handler = resolve(resolvedEvents, eventHandlers, event.getClass());
        if (handler == null) {
            throw new UnhandledEventException(type, event);
        }
        try {
            handler.handle.invokeExact(aggregate, (Object) event);
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
        Handler handler = resolve(resolvedCommands, commandHandlers, command.getClass());
        if (handler == null) {
            throw new UnhandledCommandException(type, command.getClass());
        }
        Object result;
        try {
            result = handler.handle.invokeExact(aggregate, (Object) command);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new EventSourceException(handler.describe() + " threw " + e, e);
        }
        return toEvents(handler, result);
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

    private void addEventHandler(Map<Class<?>, Handler> handlers, Method method) {
        Class<?> parameter = singleParameter(method, Event.class, "@EventHandler", "event");
        if (method.getReturnType() != void.class) {
            throw invalid(method, Problem.SIGNATURE, "must return void: an @EventHandler only changes state;"
                    + " return events from a @CommandHandler instead");
        }
        put(handlers, parameter, new Handler(method, unreflect(method, EVENT_HANDLER_TYPE)), "@EventHandler", "event");
    }

    private void addCommandHandler(Map<Class<?>, Handler> handlers, Method method) {
        Class<?> parameter = singleParameter(method, Command.class, "@CommandHandler", "command");
        Class<?> returns = method.getReturnType();
        if (!Collection.class.isAssignableFrom(returns) && !Event.class.isAssignableFrom(returns)) {
            throw invalid(method, Problem.SIGNATURE, "must return the produced events, as a List<Event> or a"
                    + " single Event, not " + returns.getName());
        }
        put(handlers, parameter, new Handler(method, unreflect(method, COMMAND_HANDLER_TYPE)), "@CommandHandler", "command");
    }

    private Class<?> singleParameter(Method method, Class<?> required, String annotation, String what) {
        if (Modifier.isStatic(method.getModifiers())) {
            throw invalid(method, Problem.SIGNATURE, "is static; an " + annotation + " must be an instance method");
        }
        if (method.getParameterCount() != 1) {
            throw invalid(method, Problem.SIGNATURE, "takes " + method.getParameterCount() + " parameters; an "
                    + annotation + " takes exactly one, the " + what);
        }
        Class<?> parameter = method.getParameterTypes()[0];
        if (!required.isAssignableFrom(parameter)) {
            throw invalid(method, Problem.SIGNATURE, "takes " + parameter.getName() + ", which does not implement "
                    + required.getName() + "; an " + annotation + " takes the " + what);
        }
        return parameter;
    }

    private void put(Map<Class<?>, Handler> handlers, Class<?> parameter, Handler handler, String annotation, String what) {
        Handler previous = handlers.putIfAbsent(parameter, handler);
        if (previous != null) {
            throw invalid(handler.method, Problem.DUPLICATE_HANDLER, "handles " + what + " "
                    + parameter.getSimpleName() + ", as does " + previous.method.getName() + "("
                    + parameter.getSimpleName() + "); keep one " + annotation + " per " + what + " type");
        }
    }

    private MethodHandle unreflect(Method method, MethodType type) {
        try {
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method).asType(type);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new InvalidHandlerException(describe(method) + " is not accessible: " + e.getMessage()
                    + "; open its package to dev.eventsource or make the method non-private", Kind.AGGREGATE,
                    Problem.SIGNATURE, this.type, method, e);
        }
    }

    private static @Nullable Handler resolve(Map<Class<?>, Handler> cache, Map<Class<?>, Handler> declared,
                                             Class<?> type) {
        Handler handler = cache.get(type);
        if (handler != null) {
            return handler;
        }
        handler = declared.get(type);
        if (handler == null) {
            handler = mostSpecific(declared, type);
        }
        if (handler != null) {
            cache.put(type, handler);
        }
        return handler;
    }

    private static @Nullable Handler mostSpecific(Map<Class<?>, Handler> declared, Class<?> type) {
        Class<?> best = null;
        for (Class<?> candidate : declared.keySet()) {
            if (candidate.isAssignableFrom(type) && (best == null || best.isAssignableFrom(candidate))) {
                best = candidate;
            }
        }
        return best == null ? null : declared.get(best);
    }

    @SuppressWarnings("unchecked")
    private static Set<Class<? extends Event>> collectEventTypes(Collection<Class<?>> parameters) {
        Set<Class<? extends Event>> types = new LinkedHashSet<>();
        List<Class<?>> pending = new ArrayList<>(parameters);
        while (!pending.isEmpty()) {
            Class<?> candidate = pending.remove(0);
            if (candidate.isSealed()) {
                pending.addAll(List.of(candidate.getPermittedSubclasses()));
            } else if (!candidate.isInterface() && !Modifier.isAbstract(candidate.getModifiers())) {
                types.add((Class<? extends Event>) candidate);
            }
        }
        return types;
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
                        handler.method.getDeclaringClass(), handler.method);
            }
            events.add((Event) element);
        }
        return events;
    }

    private static Method[] sorted(Method[] methods) {
        // getDeclaredMethods has no defined order; sort so errors and binding order are deterministic.
        java.util.Arrays.sort(methods, java.util.Comparator.comparing(Method::getName)
                .thenComparing(m -> List.of(m.getParameterTypes()).toString()));
        return methods;
    }

    private InvalidHandlerException invalid(Method method, Problem problem, String what) {
        return new InvalidHandlerException(describe(method) + " " + what, Kind.AGGREGATE, problem, type, method);
    }

    /** A fresh copy of a failure ClassValue does not cache, so the stack shows the current call. */
    private static InvalidHandlerException copy(InvalidHandlerException e) {
        return new InvalidHandlerException(e.getMessage(), e.kind(), e.problem(), e.type(), e.method(), e);
    }

    private static String describe(Method method) {
        StringBuilder parameters = new StringBuilder();
        for (Class<?> parameter : method.getParameterTypes()) {
            if (parameters.length() > 0) {
                parameters.append(", ");
            }
            parameters.append(parameter.getSimpleName());
        }
        return method.getDeclaringClass().getName() + "." + method.getName() + "(" + parameters + ")";
    }

    private record Handler(Method method, MethodHandle handle) {
        String describe() {
            return AggregateModel.describe(method);
        }
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
                throw copy(e);
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
