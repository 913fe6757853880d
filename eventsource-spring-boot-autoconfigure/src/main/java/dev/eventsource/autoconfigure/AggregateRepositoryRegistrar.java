package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.DuplicateAggregateTypeException;
import dev.eventsource.Repository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers one {@code Repository<A>} bean per aggregate class found by {@link AggregateScanner}, typed with its
 * generic so that {@code Repository<Person>} can be injected. Runs after every configuration class is processed,
 * so a {@code Repository<A>} the application defines itself is seen and wins. Fails start-up when a key under
 * {@code eventsource.snapshots.aggregates} names none of the aggregates found.
 */
final class AggregateRepositoryRegistrar implements BeanDefinitionRegistryPostProcessor, Ordered {

    static final String BASE_PACKAGES_PROPERTY = "eventsource.scan.base-packages";

    private static final Log logger = LogFactory.getLog(AggregateRepositoryRegistrar.class);

    private final Environment environment;

    private final ResourceLoader resourceLoader;

    AggregateRepositoryRegistrar(Environment environment, ResourceLoader resourceLoader) {
        this.environment = environment;
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        List<String> packages = basePackages((BeanFactory) registry);
        if (packages.isEmpty()) {
            logger.warn("No packages to scan for aggregates: set " + BASE_PACKAGES_PROPERTY
                    + " or annotate the application with @SpringBootApplication");
            return;
        }
        long started = System.nanoTime();
        List<Class<? extends Aggregate>> aggregates = new AggregateScanner(this.resourceLoader).scan(packages);
        if (logger.isDebugEnabled()) {
            logger.debug("Found " + aggregates.size() + " aggregates in " + packages + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        requireDistinctTypeNames(aggregates);
        snapshotSettings().requireKnown(aggregates);
        for (Class<? extends Aggregate> aggregate : aggregates) {
            ResolvableType repositoryType = ResolvableType.forClassWithGenerics(Repository.class, aggregate);
            if (isDefined((ListableBeanFactory) registry, repositoryType)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(repositoryType);
            BeanFactory beanFactory = (BeanFactory) registry;
            definition.setInstanceSupplier(() -> beanFactory.getBean(RepositoryFactory.class).create(aggregate));
            registry.registerBeanDefinition(beanName(aggregate), definition);
        }
    }

    /** Two aggregates of one name would read each other's streams as their own. */
    private static void requireDistinctTypeNames(List<Class<? extends Aggregate>> aggregates) {
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<? extends Aggregate> aggregate : aggregates) {
            Class<?> other = byName.putIfAbsent(Aggregate.typeName(aggregate), aggregate);
            if (other != null) {
                throw new DuplicateAggregateTypeException(Aggregate.typeName(aggregate), other, aggregate);
            }
        }
    }

    /** The snapshot settings as bound later into {@link EventSourceProperties}, read here to check their keys. */
    private SnapshotSettings snapshotSettings() {
        Binder binder = Binder.get(this.environment);
        boolean enabled = binder.bind(SnapshotSettings.PREFIX + ".enabled", Boolean.class).orElse(true);
        Map<String, EventSourceProperties.AggregateSnapshots> aggregates = binder
            .bind(SnapshotSettings.PREFIX + ".aggregates",
                    Bindable.mapOf(String.class, EventSourceProperties.AggregateSnapshots.class))
            .orElse(Map.of());
        return new SnapshotSettings(enabled, aggregates);
    }

    private List<String> basePackages(BeanFactory beanFactory) {
        List<String> configured = Binder.get(this.environment)
                .bind(BASE_PACKAGES_PROPERTY, Bindable.listOf(String.class)).orElse(List.of());
        if (!configured.isEmpty()) {
            return configured;
        }
        return AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory) : List.of();
    }

    private static boolean isDefined(ListableBeanFactory beanFactory, ResolvableType repositoryType) {
        return beanFactory.getBeanNamesForType(repositoryType, true, false).length > 0;
    }

    static String beanName(Class<?> aggregate) {
        return "eventsource.repository:" + aggregate.getName();
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
