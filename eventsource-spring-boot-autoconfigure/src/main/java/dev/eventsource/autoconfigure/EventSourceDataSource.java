package dev.eventsource.autoconfigure;

import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies the {@link javax.sql.DataSource} that holds the events, when the application has several and the
 * events do not belong in the {@code @Primary} one: the JDBC store, its schema initialization and the subscriptions'
 * checkpoints then use it. Put it on the {@code @Bean} method, as for Spring Boot's {@code @FlywayDataSource}:
 *
 * <pre>{@code
 * @Bean
 * @EventSourceDataSource
 * DataSource eventsDataSource() { ... }
 * }</pre>
 *
 * Spring-managed transactions are joined only when the transaction manager is one of this DataSource; qualify that
 * transaction manager {@link EventSourceTransactionManager} for the subscriptions' batches.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface EventSourceDataSource {
}
