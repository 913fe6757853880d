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
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds aggregate classes: concrete top-level or static nested classes, not annotated {@code @Projection}, that
 * declare an {@code @EventHandler}
 * method. Candidates are recognised from their class files (ASM metadata); only the matches are loaded.
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
        // A @Projection's @EventHandler methods build a read model, not an aggregate: EventSourceProjections takes it.
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
            aggregates.add(asAggregate(ClassUtils.resolveClassName(name, classLoader)));
        }
        return aggregates;
    }

    private static Class<? extends Aggregate> asAggregate(Class<?> type) {
        if (!Aggregate.class.isAssignableFrom(type)) {
            throw new InvalidHandlerException("Class " + type.getName() + " declares @EventHandler methods but does "
                    + "not implement dev.eventsource.Aggregate; extend dev.eventsource.AggregateRoot, or remove the "
                    + "@EventHandler annotations");
        }
        return type.asSubclass(Aggregate.class);
    }
}
