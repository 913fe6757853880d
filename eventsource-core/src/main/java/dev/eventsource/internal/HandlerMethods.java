package dev.eventsource.internal;

import dev.eventsource.Event;
import dev.eventsource.InvalidHandlerException;
import dev.eventsource.InvalidHandlerException.Kind;
import dev.eventsource.InvalidHandlerException.Problem;
import dev.eventsource.StoredEvent;
import dev.eventsource.annotation.EventHandler;
import org.jspecify.annotations.Nullable;

import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code @EventHandler} methods of one class, found and checked once per class, by the same rules for
 * aggregates and projections, and the one place that resolves an event to its handler. The rules:
 * <ul>
 *     <li>methods are found on the class and its superclasses, whatever their visibility; bridge and synthetic
 *     methods are passed over (javac copies annotations onto bridges);</li>
 *     <li>a method overridden in a subclass is one handler: the most derived annotated declaration is taken, and
 *     its handle dispatches virtually, so an unannotated override (a Spring proxy's, for example) is the one
 *     called;</li>
 *     <li>a handler is an instance method returning {@code void} whose first parameter implements
 *     {@link Event}: a concrete class, or an interface or abstract class (a sealed one on a projection), which
 *     then receives each event of a subtype that has no more specific handler; a projection's handler may take
 *     the {@link StoredEvent} as a second parameter;</li>
 *     <li>two handlers for one parameter type are refused, naming both.</li>
 * </ul>
 * An error message starts with the owner and the inspected class ({@code Aggregate com.example.Account: }), then
 * the method and what is wrong with it, worded the same for both owners.
 */
public final class HandlerMethods {

    private static final MethodType EVENT_ONLY = MethodType.methodType(void.class, Object.class, Object.class);
    private static final MethodType WITH_STORED_EVENT = MethodType.methodType(void.class, Object.class, Object.class,
            StoredEvent.class);

    /** What holds the handlers: the rules differ only where the two owners receive events differently. */
    public enum Owner {
        /** An aggregate, replaying its own stream: each handler takes the event alone. */
        AGGREGATE("Aggregate", Kind.AGGREGATE, "an aggregate's @EventHandler takes exactly one, the event"),
        /**
         * A projection, reading the global stream: a handler may also take the {@link StoredEvent}, and must name
         * its event classes up front so that events of other types are passed over without being deserialized.
         */
        PROJECTION("Projection", Kind.PROJECTION, "a projection's @EventHandler takes the event, optionally"
                + " followed by its StoredEvent");

        private final String label;
        private final Kind kind;
        private final String parameters;
        private final ClassValue<HandlerMethods> models = new ClassValue<>() {
            @Override
            protected HandlerMethods computeValue(Class<?> type) {
                return new HandlerMethods(type, Owner.this);
            }
        };

        Owner(String label, Kind kind, String parameters) {
            this.label = label;
            this.kind = kind;
            this.parameters = parameters;
        }

        /** @return the owner as an {@link InvalidHandlerException#kind()} */
        public Kind kind() {
            return kind;
        }
    }

    /**
     * One handler method and its handle, typed {@code (Object, Object)void}, or
     * {@code (Object, Object, StoredEvent)void} when it takes the stored event.
     *
     * @param method the method
     * @param handle its handle, for {@code invokeExact}
     * @param takesStoredEvent whether the method takes the {@link StoredEvent} as second parameter
     */
    public record Handler(Method method, MethodHandle handle, boolean takesStoredEvent) {

        /** @return the method as {@code com.example.Account.opened(Opened)} */
        public String describe() {
            return HandlerMethods.describe(method);
        }
    }

    private final Class<?> type;
    private final Owner owner;
    private final Dispatch dispatch;
    private final Set<Class<? extends Event>> eventTypes;

    private HandlerMethods(Class<?> type, Owner owner) {
        this.type = type;
        this.owner = owner;
        Map<Class<?>, Handler> handlers = new LinkedHashMap<>();
        for (Method method : annotatedMethods(type, EventHandler.class)) {
            Class<?> parameter = eventParameter(method);
            boolean takesStoredEvent = method.getParameterCount() == 2;
            Handler handler = new Handler(method, unreflect(owner, type, method,
                    takesStoredEvent ? WITH_STORED_EVENT : EVENT_ONLY), takesStoredEvent);
            putUnique(owner, type, handlers, parameter, handler, "@EventHandler", "event");
        }
        this.dispatch = new Dispatch(handlers);
        this.eventTypes = Collections.unmodifiableSet(concreteTypes(handlers.keySet()));
    }

    /**
     * Returns the event handlers of a class, finding and checking them on first use.
     *
     * @param type the class holding the handlers
     * @param owner whether it is an aggregate or a projection
     * @return its handlers, possibly none
     * @throws InvalidHandlerException naming the class and the method when a handler is malformed
     */
    public static HandlerMethods of(Class<?> type, Owner owner) {
        Objects.requireNonNull(type, "type");
        return owner.models.get(type);
    }

    /** @return whether the class has no {@code @EventHandler} method */
    public boolean isEmpty() {
        return dispatch.declared.isEmpty();
    }

    /**
     * Returns the concrete event classes the handlers accept: each parameter type that is a concrete class, and
     * the concrete classes of a sealed parameter type's hierarchy. These are the classes to bind to a serializer.
     *
     * @return the event classes, in the order the handlers were found
     */
    public Set<Class<? extends Event>> eventTypes() {
        return eventTypes;
    }

    /**
     * Finds the handler of an event class: the one for the class itself, else the one for its most specific
     * supertype. The answer is cached per class, so dispatch reflects nothing.
     *
     * @param eventClass the event's class
     * @return the handler, or null when none accepts the class
     */
    public @Nullable Handler resolve(Class<?> eventClass) {
        return dispatch.resolve(eventClass);
    }

    private Class<?> eventParameter(Method method) {
        if (Modifier.isStatic(method.getModifiers())) {
            throw invalid(owner, type, method, "is static; an @EventHandler must be an instance method");
        }
        Class<?>[] parameters = method.getParameterTypes();
        int allowed = owner == Owner.PROJECTION ? 2 : 1;
        if (parameters.length == 0 || parameters.length > allowed
                || (parameters.length == 2 && parameters[1] != StoredEvent.class)) {
            throw invalid(owner, type, method, "takes " + parameters.length + " parameters; " + owner.parameters);
        }
        Class<?> parameter = parameters[0];
        if (!Event.class.isAssignableFrom(parameter)) {
            throw invalid(owner, type, method, "takes " + parameter.getName() + ", which does not implement "
                    + Event.class.getName() + "; " + owner.parameters);
        }
        if (owner == Owner.PROJECTION && isAbstract(parameter) && !parameter.isSealed()) {
            throw invalid(owner, type, method, "takes " + parameter.getName() + ", which is abstract and not"
                    + " sealed; a projection passes over the event types it does not name without reading them,"
                    + " so take a concrete event class, or seal " + parameter.getSimpleName());
        }
        if (method.getReturnType() != void.class) {
            throw invalid(owner, type, method, "returns " + method.getReturnType().getSimpleName() + ", but an"
                    + " @EventHandler must return void: it applies the event (new events come from a"
                    + " @CommandHandler)");
        }
        return parameter;
    }

    // ---- shared with the command handlers of AggregateModel ----

    /**
     * Finds the methods of a class and its superclasses carrying an annotation, the most derived first, in a
     * deterministic order; a method overridden by an annotated method of a subclass is left out.
     */
    static List<Method> annotatedMethods(Class<?> type, Class<? extends Annotation> annotation) {
        List<Method> found = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : sorted(c.getDeclaredMethods())) {
                if (method.isAnnotationPresent(annotation) && !method.isBridge() && !method.isSynthetic()
                        && !isOverridden(method, found)) {
                    found.add(method);
                }
            }
        }
        return found;
    }

    /** Registers a handler for its parameter type, refusing a second handler for the same type. */
    static void putUnique(Owner owner, Class<?> type, Map<Class<?>, Handler> handlers, Class<?> parameter,
            Handler handler, String annotation, String what) {
        Handler previous = handlers.putIfAbsent(parameter, handler);
        if (previous != null) {
            throw invalid(owner, type, handler.method(), Problem.DUPLICATE_HANDLER, "handles " + what + " " + parameter.getSimpleName()
                    + ", as does " + previous.method().getName() + "(" + parameterNames(previous.method())
                    + "); keep one " + annotation + " per " + what + " type");
        }
    }

    static MethodHandle unreflect(Owner owner, Class<?> type, Method method, MethodType methodType) {
        try {
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method).asType(methodType);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new InvalidHandlerException(prefix(owner, type) + describe(method) + " is not accessible: "
                    + e.getMessage() + "; open its package to dev.eventsource or make the method non-private",
                    owner.kind, Problem.SIGNATURE, type, method, e);
        }
    }

    /** @return a {@link Problem#SIGNATURE} failure: the method cannot be a handler as written */
    static InvalidHandlerException invalid(Owner owner, Class<?> type, Method method, String problem) {
        return invalid(owner, type, method, Problem.SIGNATURE, problem);
    }

    static InvalidHandlerException invalid(Owner owner, Class<?> type, Method method, Problem kind,
                                           String problem) {
        return new InvalidHandlerException(prefix(owner, type) + describe(method) + " " + problem, owner.kind, kind,
                type, method);
    }

    /** A fresh copy of a failure that a ClassValue does not cache, so that the stack shows the current call. */
    static InvalidHandlerException copy(InvalidHandlerException e) {
        return new InvalidHandlerException(String.valueOf(e.getMessage()), e.kind(), e.problem(), e.type(),
                e.method(), e);
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "(" + parameterNames(method) + ")";
    }

    private static String prefix(Owner owner, Class<?> type) {
        return owner.label + " " + type.getName() + ": ";
    }

    private static String parameterNames(Method method) {
        StringBuilder names = new StringBuilder();
        for (Class<?> parameter : method.getParameterTypes()) {
            if (names.length() > 0) {
                names.append(", ");
            }
            names.append(parameter.getSimpleName());
        }
        return names.toString();
    }

    private static boolean isOverridden(Method method, List<Method> taken) {
        for (Method candidate : taken) {
            if (overrides(candidate, method)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code sub}, declared in a subclass, overrides {@code base} (JLS 8.4.8.1). */
    private static boolean overrides(Method sub, Method base) {
        int subModifiers = sub.getModifiers();
        int baseModifiers = base.getModifiers();
        if (Modifier.isPrivate(subModifiers) || Modifier.isPrivate(baseModifiers)
                || Modifier.isStatic(subModifiers) || Modifier.isStatic(baseModifiers)
                || !sub.getName().equals(base.getName())
                || !Arrays.equals(sub.getParameterTypes(), base.getParameterTypes())) {
            return false;
        }
        if (Modifier.isPublic(baseModifiers) || Modifier.isProtected(baseModifiers)) {
            return true;
        }
        // package-private: overridden only from the same runtime package
        Class<?> subClass = sub.getDeclaringClass();
        Class<?> baseClass = base.getDeclaringClass();
        return subClass.getPackageName().equals(baseClass.getPackageName())
                && subClass.getClassLoader() == baseClass.getClassLoader();
    }

    private static Method[] sorted(Method[] methods) {
        // getDeclaredMethods has no defined order; sort so errors and binding order are deterministic.
        Arrays.sort(methods, Comparator.comparing(Method::getName)
                .thenComparing(m -> List.of(m.getParameterTypes()).toString()));
        return methods;
    }

    private static boolean isAbstract(Class<?> type) {
        return type.isInterface() || Modifier.isAbstract(type.getModifiers());
    }

    @SuppressWarnings("unchecked")
    private static Set<Class<? extends Event>> concreteTypes(Collection<Class<?>> parameters) {
        Set<Class<? extends Event>> types = new LinkedHashSet<>();
        List<Class<?>> pending = new ArrayList<>(parameters);
        while (!pending.isEmpty()) {
            Class<?> candidate = pending.remove(0);
            if (candidate.isSealed()) {
                pending.addAll(List.of(candidate.getPermittedSubclasses()));
            }
            if (!isAbstract(candidate)) {
                types.add((Class<? extends Event>) candidate);
            }
        }
        return types;
    }

    /**
     * Handlers by parameter type, with the resolution of each concrete class cached: the handler for the class
     * itself, else the one for its most specific supertype.
     */
    static final class Dispatch {

        private static final Handler NONE = new Handler(null, null, false);

        private final Map<Class<?>, Handler> declared;
        private final Map<Class<?>, Handler> resolved = new ConcurrentHashMap<>();

        Dispatch(Map<Class<?>, Handler> declared) {
            this.declared = Collections.unmodifiableMap(declared);
        }

        Set<Class<?>> types() {
            return declared.keySet();
        }

        @Nullable Handler resolve(Class<?> type) {
            Handler handler = resolved.get(type);
            if (handler == null) {
                handler = declared.get(type);
                if (handler == null) {
                    handler = mostSpecific(type);
                }
                resolved.put(type, handler);
            }
            return handler == NONE ? null : handler;
        }

        private Handler mostSpecific(Class<?> type) {
            Class<?> best = null;
            for (Class<?> candidate : declared.keySet()) {
                if (candidate.isAssignableFrom(type) && (best == null || best.isAssignableFrom(candidate))) {
                    best = candidate;
                }
            }
            return best == null ? NONE : declared.get(best);
        }
    }
}
