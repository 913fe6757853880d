package dev.eventsource.autoconfigure;

import org.springframework.beans.factory.annotation.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies the {@link org.springframework.transaction.PlatformTransactionManager} in which each batch of a
 * subscription runs (its projection's writes and its checkpoint), when the application has several and the one
 * for the events does not happen to be the {@code @Primary} one. Give it to the transaction manager of the
 * {@link EventSourceDataSource}: checkpoints are written through that DataSource, so only its transaction manager
 * commits them together with the read model.
 *
 * <pre>{@code
 * @Bean
 * @EventSourceTransactionManager
 * DataSourceTransactionManager eventsTransactionManager(@EventSourceDataSource DataSource events) {
 *     return new DataSourceTransactionManager(events);
 * }
 * }</pre>
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface EventSourceTransactionManager {
}
