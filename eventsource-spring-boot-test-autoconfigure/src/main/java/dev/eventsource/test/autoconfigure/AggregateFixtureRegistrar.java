package dev.eventsource.test.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.Repository;
import dev.eventsource.test.AggregateFixture;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ResolvableType;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Defines a prototype {@code AggregateFixture<A>} bean per {@code Repository<A>} bean, so that a test can inject
 * {@code AggregateFixture<Account>}; each injection point gets a fresh fixture, made by
 * {@link AggregateFixture#of(Class)}. Runs after every bean definition is registered, the repositories included.
 */
final class AggregateFixtureRegistrar implements BeanFactoryPostProcessor {

    static final String BEAN_NAME_PREFIX = "eventsource.fixture:";

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (!(beanFactory instanceof BeanDefinitionRegistry registry)) {
            return;
        }
        for (Class<?> aggregate : aggregates(beanFactory)) {
            String name = BEAN_NAME_PREFIX + aggregate.getName();
            if (registry.containsBeanDefinition(name)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition(AggregateFixture.class);
            definition.setFactoryMethodName("of");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, aggregate);
            definition.setTargetType(ResolvableType.forClassWithGenerics(AggregateFixture.class, aggregate));
            definition.setScope(BeanDefinition.SCOPE_PROTOTYPE);
            definition.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(name, definition);
        }
    }

    private static Set<Class<?>> aggregates(ConfigurableListableBeanFactory beanFactory) {
        Set<Class<?>> aggregates = new LinkedHashSet<>();
        for (String name : beanFactory.getBeanNamesForType(Repository.class, true, false)) {
            ResolvableType type = beanFactory.getMergedBeanDefinition(name).getResolvableType().as(Repository.class);
            Class<?> aggregate = type.getGeneric(0).resolve();
            if (aggregate != null && Aggregate.class.isAssignableFrom(aggregate)) {
                aggregates.add(aggregate);
            }
        }
        return aggregates;
    }
}
