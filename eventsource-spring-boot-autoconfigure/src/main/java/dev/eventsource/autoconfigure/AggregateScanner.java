package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.InvalidHandlerException;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.util.ClassUtils;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds aggregate classes: concrete top-level or static nested classes that implement {@link Aggregate} and have
 * {@code @EventHandler} methods, declared or inherited. Candidates are recognised from their class files (ASM
 * metadata); only the matches are loaded.
 */
final class AggregateScanner {

    private static final String EVENT_HANDLER = EventHandler.class.getName();

    private static final String PROJECTION = Projection.class.getName();

    private final ResourceLoader resourceLoader;

    AggregateScanner(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    /**
     * Scans packages for aggregates.
     *
     * @return the aggregate classes, ordered by name (the names are sorted)
     * @throws InvalidHandlerException when a class declares {@code @EventHandler} methods but is no aggregate
     */
    List<Class<? extends Aggregate>> scan(Collection<String> basePackages) {
        ClassPathScanningCandidateComponentProvider provider = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                AnnotationMetadata metadata = definition.getMetadata();
                return metadata.isIndependent() && metadata.isConcrete();
            }
        };
        provider.setResourceLoader(this.resourceLoader);
        provider.addIncludeFilter(new AssignableTypeFilter(Aggregate.class));
        // @EventHandler methods belong on aggregates and on projections (EventSourceProjections takes those); a
        // class with them that is neither is a mistake, reported by asAggregate rather than silently ignored.
        provider.addIncludeFilter((reader, factory) -> reader.getAnnotationMetadata().hasAnnotatedMethods(EVENT_HANDLER)
                && !reader.getAnnotationMetadata().hasAnnotation(PROJECTION));
        Set<String> classNames = new TreeSet<>();
        for (String basePackage : new LinkedHashSet<>(basePackages)) {
            for (BeanDefinition candidate : provider.findCandidateComponents(basePackage)) {
                classNames.add(candidate.getBeanClassName());
            }
        }
        ClassLoader classLoader = this.resourceLoader.getClassLoader();
        List<Class<? extends Aggregate>> aggregates = new ArrayList<>(classNames.size());
        for (String name : classNames) {
            Class<? extends Aggregate> aggregate = asAggregate(ClassUtils.resolveClassName(name, classLoader));
            if (hasEventHandlers(aggregate)) {
                aggregates.add(aggregate);
            }
        }
        return aggregates;
    }

    /** Whether the class or a superclass declares an {@code @EventHandler} method, as the aggregate model reads them. */
    private static boolean hasEventHandlers(Class<?> type) {
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Method method : current.getDeclaredMethods()) {
                if (method.isAnnotationPresent(EventHandler.class)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Class<? extends Aggregate> asAggregate(Class<?> type) {
        if (!Aggregate.class.isAssignableFrom(type)) {
            throw new InvalidHandlerException("Class " + type.getName() + " declares @EventHandler methods but "
                    + "does not implement " + Aggregate.class.getName() + "; extend dev.eventsource.AggregateRoot, or remove the @EventHandler "
                    + "annotations", InvalidHandlerException.Kind.AGGREGATE,
                    InvalidHandlerException.Problem.NOT_AN_AGGREGATE, type, null);
        }
        return type.asSubclass(Aggregate.class);
    }
}
