package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.DuplicateAggregateTypeException;
import dev.eventsource.Repository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import dev.eventsource.annotation.Projection;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
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
import org.springframework.util.ClassUtils;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers one {@code Repository<A>} bean per aggregate class found by {@link AggregateScanner}, typed with its
 * generic so that {@code Repository<Person>} can be injected. Runs after every configuration class is processed,
 * so a {@code Repository<A>} the application defines itself is seen and wins. Fails start-up when a key under
 * {@code eventsource.snapshots.aggregates} names none of the aggregates found.
 *
 * <p>AOT processing writes the repository bean definitions as code, and contributes the {@link RuntimeHints} of
 * every aggregate behind a {@code Repository<A>} bean and every {@link Projection @Projection} bean (see
 * {@link EventSourceRuntimeHints}). As a {@link BeanFactoryInitializationAotProcessor} this registrar is left out
 * of the generated context: an application started in AOT mode (or as a native image) does not scan the classpath
 * again, so the checks made here (distinct aggregate type names, snapshot keys) ran at build time.
 */
final class AggregateRepositoryRegistrar
        implements BeanDefinitionRegistryPostProcessor, BeanFactoryInitializationAotProcessor, Ordered {

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
            registry.registerBeanDefinition(beanName(aggregate), definition(aggregate, repositoryType));
        }
    }

    /**
     * The repository of one aggregate as {@code eventSourceRepositoryFactory.create(aggregate)}: a factory method
     * and an argument rather than an instance supplier, so that AOT processing can write it as code; typed
     * {@code Repository<A>} so that the generic type decides injection before the repository exists.
     */
    private static RootBeanDefinition definition(Class<? extends Aggregate> aggregate, ResolvableType repositoryType) {
        RootBeanDefinition definition = new RootBeanDefinition();
        definition.setTargetType(repositoryType);
        definition.setFactoryBeanName(EventSourceAutoConfiguration.REPOSITORY_FACTORY_BEAN);
        definition.setFactoryMethodName("create");
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, aggregate, Class.class.getName());
        return definition;
    }

    @Override
    public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
            ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> aggregates = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanNamesForType(Repository.class, true, false)) {
            Class<?> aggregate = RegisteredBean.of(beanFactory, name).getBeanType().as(Repository.class)
                .resolveGeneric(0);
            if (aggregate != null && Aggregate.class.isAssignableFrom(aggregate) && aggregate != Aggregate.class) {
                aggregates.add(aggregate);
            }
        }
        Set<Class<?>> projections = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanNamesForAnnotation(Projection.class)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type != null) {
                projections.add(ClassUtils.getUserClass(type));
            }
        }
        if (aggregates.isEmpty() && projections.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> {
            RuntimeHints hints = generationContext.getRuntimeHints();
            aggregates.forEach((aggregate) -> EventSourceRuntimeHints.registerAggregate(hints, aggregate));
            projections.forEach((projection) -> EventSourceRuntimeHints.registerProjection(hints, projection));
        };
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
