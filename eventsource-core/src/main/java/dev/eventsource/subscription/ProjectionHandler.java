package dev.eventsource.subscription;

import dev.eventsource.Event;
import dev.eventsource.InvalidHandlerException;
import dev.eventsource.InvalidHandlerException.Kind;
import dev.eventsource.InvalidHandlerException.Problem;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import dev.eventsource.annotation.ResetHandler;
import dev.eventsource.internal.HandlerMethods;
import dev.eventsource.internal.HandlerMethods.Handler;
import dev.eventsource.internal.HandlerMethods.Owner;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link SubscriptionHandler} that dispatches each event to the {@link EventHandler} method of a
 * {@link Projection} object for the event's class (or, through a sealed parameter type, its most specific
 * supertype), through method handles built once per class. The methods are found and checked by the rules aggregates
 * follow too; a projection's handler may also take the {@link StoredEvent}. Events of types without a handler
 * method are passed over without being deserialized.
 */
public final class ProjectionHandler implements SubscriptionHandler {

    private final String name;
    private final Object target;
    private final HandlerMethods handlers;
    private final List<Class<?>> eventTypes;
    private final Set<String> typeNames;
    private final @Nullable Method resetHandler;

    private ProjectionHandler(String name, Object target, HandlerMethods handlers, @Nullable Method resetHandler) {
        this.name = name;
        this.target = target;
        this.handlers = handlers;
        this.resetHandler = resetHandler;
        this.eventTypes = List.copyOf(handlers.eventTypes());
        Map<String, Class<?>> names = new LinkedHashMap<>();
        for (Class<?> eventType : eventTypes) {
            Class<?> previous = names.putIfAbsent(Event.typeName(eventType), eventType);
            if (previous != null) {
                throw new InvalidHandlerException("Projection " + target.getClass().getName() + " handles two event"
                        + " classes named '" + Event.typeName(eventType) + "', " + previous.getName() + " and "
                        + eventType.getName() + "; give each its own @EventType", Kind.PROJECTION,
                        Problem.DUPLICATE_HANDLER, target.getClass(), null);
            }
        }
        this.typeNames = Collections.unmodifiableSet(names.keySet());
    }

    /**
     * Builds the handler of a projection object, checking every {@link EventHandler} method.
     *
     * @param projection an object whose class (or a superclass) is annotated {@link Projection}
     * @return its handler
     * @throws InvalidHandlerException naming the class and method when the class is not annotated, a method has
     *     a wrong signature, two methods handle one event type, or there is no handler method at all
     */
    public static ProjectionHandler of(Object projection) {
        Objects.requireNonNull(projection, "projection");
        Class<?> type = projection.getClass();
        Projection annotation = findAnnotation(type);
        if (annotation == null) {
            throw new InvalidHandlerException(type.getName() + " is not annotated @Projection", Kind.PROJECTION,
                    Problem.NOT_A_PROJECTION, type, null);
        }
        HandlerMethods handlers = HandlerMethods.of(type, Owner.PROJECTION);
        if (handlers.isEmpty()) {
            throw new InvalidHandlerException("Projection " + type.getName() + " has no @EventHandler method; add"
                    + " one per event type it projects", Kind.PROJECTION, Problem.NO_HANDLERS, type, null);
        }
        return new ProjectionHandler(annotation.value(), projection, handlers, resetHandler(type));
    }

    private static @Nullable Method resetHandler(Class<?> type) {
        Method found = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(ResetHandler.class) || method.isBridge() || method.isSynthetic()) {
                    continue;
                }
                if (found != null && found.getName().equals(method.getName())
                        && found.getParameterCount() == method.getParameterCount()) {
                    continue; // overridden in a subclass, already found
                }
                Class<?>[] parameters = method.getParameterTypes();
                if (Modifier.isStatic(method.getModifiers()) || parameters.length > 1
                        || (parameters.length == 1 && parameters[0] != long.class)) {
                    throw new InvalidHandlerException("Projection " + type.getName() + ": @ResetHandler method "
                            + method.getName() + " must be an instance method taking no parameter or one long (the"
                            + " position it restarts after)", Kind.PROJECTION, Problem.SIGNATURE, type, method);
                }
                if (found != null) {
                    throw new InvalidHandlerException("Projection " + type.getName() + " has two @ResetHandler"
                            + " methods, " + found.getName() + " and " + method.getName() + "; keep one",
                            Kind.PROJECTION, Problem.DUPLICATE_HANDLER, type, method);
                }
                found = method;
            }
        }
        if (found != null) {
            found.setAccessible(true);
        }
        return found;
    }

    /**
     * Finds the {@link Projection} annotation of a class or its superclasses (a Spring proxy subclasses the bean's
     * class).
     *
     * @return the annotation, or null
     */
    public static @Nullable Projection findAnnotation(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Projection projection = c.getAnnotation(Projection.class);
            if (projection != null) {
                return projection;
            }
        }
        return null;
    }

    /** @return the projection's name, from its {@link Projection} annotation */
    public String name() {
        return name;
    }

    /** @return the event classes the projection handles, to bind to the serializer */
    public List<Class<?>> eventTypes() {
        return eventTypes;
    }

    @Override
    public boolean handles(String eventType) {
        return typeNames.contains(eventType);
    }

    @Override
    public void handle(StoredEvent event) throws Exception {
        Handler handler = handlers.resolve(event.event().getClass());
        if (handler == null) {
            return;
        }
        try {
            if (handler.takesStoredEvent()) {
                handler.handle().invokeExact(target, (Object) event.event(), event);
            } else {
                handler.handle().invokeExact(target, (Object) event.event());
            }
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new ProjectionFailedException(name, false, event, e);
        }
    }

    /** @return whether the projection has a {@link ResetHandler} method */
    public boolean hasResetHandler() {
        return resetHandler != null;
    }

    @Override
    public void reset(long position) throws Exception {
        if (resetHandler == null) {
            return;
        }
        try {
            if (resetHandler.getParameterCount() == 1) {
                resetHandler.invoke(target, position);
            } else {
                resetHandler.invoke(target);
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "ProjectionHandler[" + name + ", " + target.getClass().getName() + ", " + typeNames + "]";
    }
}
