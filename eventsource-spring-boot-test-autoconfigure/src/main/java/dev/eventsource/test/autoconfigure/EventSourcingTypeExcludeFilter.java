package dev.eventsource.test.autoconfigure;

import dev.eventsource.annotation.Projection;
import dev.eventsource.upcast.Upcaster;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import java.io.IOException;
import java.util.Set;

/**
 * Keeps, of the application's component scan, only what event sourcing needs in an {@link EventSourcingTest}: beans
 * annotated {@link Projection}, {@link Upcaster} beans, and configuration classes with {@code @Bean} methods that
 * return an {@code Upcaster} (upcasters are usually declared that way). Aggregates are no beans: the
 * auto-configuration finds them in the application's packages.
 */
class EventSourcingTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<EventSourcingTest> {

    private static final Set<Class<?>> INCLUDES = Set.of(Projection.class, Upcaster.class);

    EventSourcingTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
    }

    @Override
    protected Set<Class<?>> getKnownIncludes() {
        return INCLUDES;
    }

    @Override
    protected boolean defaultInclude(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory)
            throws IOException {
        return super.defaultInclude(metadataReader, metadataReaderFactory) || declaresUpcasters(metadataReader);
    }

    private static boolean declaresUpcasters(MetadataReader metadataReader) {
        for (MethodMetadata method : metadataReader.getAnnotationMetadata().getAnnotatedMethods(Bean.class.getName())) {
            if (method.getReturnTypeName().equals(Upcaster.class.getName())) {
                return true;
            }
        }
        return false;
    }
}
