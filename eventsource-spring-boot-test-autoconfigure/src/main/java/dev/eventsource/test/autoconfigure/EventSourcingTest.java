package dev.eventsource.test.autoconfigure;

import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of the application's event sourcing only: starts the eventsource auto-configuration (and Jackson's), the
 * memory store, a {@code Repository<A>} per aggregate found in the application's packages, the application's
 * projections ({@link dev.eventsource.annotation.Projection @Projection} beans) and upcasters, and an
 * {@link dev.eventsource.test.AggregateFixture AggregateFixture&lt;A&gt;} per aggregate to inject. Other beans of
 * the application (controllers, services, other configuration) and other auto-configuration (web server, DataSource,
 * ...) are not started.
 *
 * <pre>{@code
 * @EventSourcingTest
 * class AccountTests {
 *     @Autowired Repository<Account> accounts;
 *     @Autowired AggregateFixture<Account> fixture;
 * }
 * }</pre>
 *
 * <p>With {@code store = StoreType.JDBC} (or {@code AUTO}) the JDBC store runs on the test's DataSource: a
 * {@code DataSource} bean the test imports, or Boot's auto-configured one when the test adds an annotation that
 * auto-configures it, such as {@code @AutoConfigureJdbc} of {@code spring-boot-jdbc-test}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(EventSourcingTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(EventSourcingTypeExcludeFilter.class)
@ImportAutoConfiguration
public @interface EventSourcingTest {

    /**
     * Properties in the form {@code key=value} added to the Spring {@code Environment} before the test runs.
     *
     * @return the properties to add
     */
    String[] properties() default {};

    /**
     * Chooses the store, as {@code eventsource.store.type} does: by default the memory store, whatever the
     * application's configuration says; {@code JDBC} or {@code AUTO} for the test's DataSource.
     *
     * @return the store type
     */
    @PropertyMapping("eventsource.store.type")
    StoreType store() default StoreType.MEMORY;

    /**
     * Tells whether the default filters apply to the application's component scan: by default only
     * {@code @Projection} beans and {@code Upcaster} beans are included.
     *
     * @return whether the default filters apply
     */
    boolean useDefaultFilters() default true;

    /**
     * Adds beans of the application's component scan that the filters would leave out.
     *
     * @return filters of beans to include
     */
    Filter[] includeFilters() default {};

    /**
     * Leaves out beans of the application's component scan that the filters would include.
     *
     * @return filters of beans to exclude
     */
    Filter[] excludeFilters() default {};

    /**
     * Leaves out some of the auto-configuration the slice imports.
     *
     * @return the auto-configuration classes to exclude
     */
    @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
    Class<?>[] excludeAutoConfiguration() default {};
}
