package dev.eventsource.subscription;

import dev.eventsource.Event;
import dev.eventsource.InvalidHandlerException;
import dev.eventsource.InvalidHandlerException.Kind;
import dev.eventsource.InvalidHandlerException.Problem;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import org.jspecify.annotations.Nullable;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SubscriptionHandler} that dispatches each event to the {@link EventHandler} method of a
 * {@link Projection} object for the event's type, through method handles built once. Events of types without a
 * handler method are passed over.
 */
public final class ProjectionHandler implements SubscriptionHandler {

    private static final MethodType ONE = MethodType.methodType(void.class, Object.class, Object.class);
    private static final MethodType TWO = MethodType.methodType(void.class, Object.class, Object.class,
            StoredEvent.class);

    private final String name;
    private final Object target;
    private final Map<String, Handler> handlers;
    private final List<Class<?>> eventTypes;

    private record Handler(MethodHandle handle, boolean withStoredEvent) {
    }

    private ProjectionHandler(String name, Object target, Map<String, Handler> handlers, List<Class<?>> eventTypes) {
        this.name = name;
        this.target = target;
        this.handlers = handlers;
        this.eventTypes = eventTypes;
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
        Map<String, Handler> handlers = new LinkedHashMap<>();
        List<Class<?>> eventTypes = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (!method.isAnnotationPresent(EventHandler.class) || method.isBridge()) {
                    continue;
                }
                Class<?> eventType = check(type, method);
                String typeName = Event.typeName(eventType);
                Handler handler = new Handler(unreflect(type, method), method.getParameterCount() == 2);
                if (handlers.putIfAbsent(typeName, handler) != null) {
                    throw new InvalidHandlerException("Projection " + type.getName() + " has two @EventHandler"
                            + " methods for event type '" + typeName + "' (one is " + method.getName()
                            + "); keep one", Kind.PROJECTION, Problem.DUPLICATE_HANDLER, type, method);
                }
                eventTypes.add(eventType);
            }
        }
        if (handlers.isEmpty()) {
            throw new InvalidHandlerException("Projection " + type.getName() + " has no @EventHandler method; add"
                    + " one per event type it projects", Kind.PROJECTION, Problem.NO_HANDLERS, type, null);
        }
        return new ProjectionHandler(annotation.value(), projection, handlers, Collections.unmodifiableList(eventTypes));
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

    private static Class<?> check(Class<?> type, Method method) {
        String where = "Projection " + type.getName() + ": @EventHandler " + method.getName();
        Class<?>[] parameters = method.getParameterTypes();
        if (Modifier.isStatic(method.getModifiers())) {
            throw new InvalidHandlerException(where + " is static; make it an instance method", Kind.PROJECTION,
                    Problem.SIGNATURE, type, method);
        }
        if (method.getReturnType() != void.class) {
            throw new InvalidHandlerException(where + " returns " + method.getReturnType().getSimpleName()
                    + "; a projection's handler returns void", Kind.PROJECTION, Problem.SIGNATURE, type, method);
        }
        if (parameters.length < 1 || parameters.length > 2
                || (parameters.length == 2 && parameters[1] != StoredEvent.class)) {
            throw new InvalidHandlerException(where + " takes " + parameters.length + " parameter(s); take one event,"
                    + " optionally followed by a StoredEvent", Kind.PROJECTION, Problem.SIGNATURE, type, method);
        }
        if (!Event.class.isAssignableFrom(parameters[0]) || parameters[0].isInterface()
                || Modifier.isAbstract(parameters[0].getModifiers())) {
            throw new InvalidHandlerException(where + " takes " + parameters[0].getName() + ", which is not a concrete"
                    + " class implementing dev.eventsource.Event", Kind.PROJECTION, Problem.SIGNATURE, type, method);
        }
        return parameters[0];
    }

    private static MethodHandle unreflect(Class<?> type, Method method) {
        try {
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method)
                    .asType(method.getParameterCount() == 2 ? TWO : ONE);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new InvalidHandlerException("@EventHandler " + type.getName() + "." + method.getName()
                    + " cannot be called: " + e.getMessage(), Kind.PROJECTION, Problem.SIGNATURE, type, method, e);
        }
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
        return handlers.containsKey(eventType);
    }

    @Override
    public void handle(StoredEvent event) throws Exception {
        Handler handler = handlers.get(event.event().type());
        if (handler == null) {
            return;
        }
        try {
            if (handler.withStoredEvent) {
                handler.handle.invokeExact(target, (Object) event.event(), event);
            } else {
                handler.handle.invokeExact(target, (Object) event.event());
            }
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new ProjectionFailedException(name, false, event, e);
        }
    }

    @Override
    public String toString() {
        return "ProjectionHandler[" + name + ", " + target.getClass().getName() + ", " + handlers.keySet() + "]";
    }
}
