package dev.eventsource.autoconfigure;

import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.ResetHandler;
import dev.eventsource.internal.AggregateModel;
import dev.eventsource.internal.HandlerMethods;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import java.lang.reflect.Method;
import java.util.Collection;

/**
 * What eventsource reaches by reflection, for AOT processing and GraalVM native images. Registered through
 * {@code META-INF/spring/aot.factories}, this class contributes what every application needs: the SQL schema and
 * migration scripts of the JDBC store, read as classpath resources. The application's own classes are contributed
 * by {@link AggregateRepositoryRegistrar} at build time, through {@link #registerAggregate} and
 * {@link #registerProjection}:
 * <ul>
 *     <li>an aggregate's declared constructors (the repository creates empty aggregates through the no-argument
 *     one, which may be private), its {@code @CommandHandler} and {@code @EventHandler} methods, declared or
 *     inherited (found with {@code getDeclaredMethods} and called through method handles), and its fields, read
 *     and written by Jackson for snapshots;</li>
 *     <li>a projection's {@code @EventHandler} methods and its {@code @ResetHandler} method;</li>
 *     <li>the event classes of both, as Jackson binds them (constructors, record components, accessors).</li>
 * </ul>
 */
final class EventSourceRuntimeHints implements RuntimeHintsRegistrar {

    /** The JDBC store's schema and migration scripts ({@code dev/eventsource/store/jdbc/*.sql} in eventsource-core). */
    static final String SCRIPTS = "dev/eventsource/**/*.sql";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.resources().registerPattern(SCRIPTS);
    }

    /**
     * Registers what the repository of an aggregate reflects on.
     *
     * @param hints the hints to add to
     * @param aggregate the aggregate class
     */
    static void registerAggregate(RuntimeHints hints, Class<?> aggregate) {
        registerHandlers(hints, aggregate, true);
        hints.reflection().registerType(aggregate, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
        for (Class<?> type = aggregate; type != null && type != Object.class; type = type.getSuperclass()) {
            // Snapshots: Jackson reads and writes the state through the fields, whatever their visibility.
            hints.reflection().registerType(type, MemberCategory.ACCESS_DECLARED_FIELDS);
        }
        registerEvents(hints, AggregateModel.of(aggregate).eventTypes());
    }

    /**
     * Registers what a projection's subscription reflects on.
     *
     * @param hints the hints to add to
     * @param projection the projection's class (not a proxy's)
     */
    static void registerProjection(RuntimeHints hints, Class<?> projection) {
        registerHandlers(hints, projection, false);
        registerEvents(hints, HandlerMethods.of(projection, HandlerMethods.Owner.PROJECTION).eventTypes());
    }

    private static void registerHandlers(RuntimeHints hints, Class<?> owner, boolean commands) {
        for (Class<?> type = owner; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isBridge() || method.isSynthetic()) {
                    continue;
                }
                if (method.isAnnotationPresent(EventHandler.class)
                        || (commands && method.isAnnotationPresent(CommandHandler.class))
                        || (!commands && method.isAnnotationPresent(ResetHandler.class))) {
                    hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
                }
            }
        }
    }

    private static void registerEvents(RuntimeHints hints, Collection<? extends Class<?>> events) {
        // The handlers' concrete event classes, with the permitted subclasses of a sealed parameter type: the
        // classes the serializer binds.
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
                events.toArray(Class<?>[]::new));
    }
}
