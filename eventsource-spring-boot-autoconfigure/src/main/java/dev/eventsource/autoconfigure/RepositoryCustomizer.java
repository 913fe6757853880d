package dev.eventsource.autoconfigure;

import dev.eventsource.Repository;

/**
 * Callback that customizes the builder of every auto-configured {@link Repository} before it is built, for example
 * to store the current user as metadata with each event:
 *
 * <pre>{@code
 * @Bean
 * RepositoryCustomizer currentUserMetadata() {
 *     return (builder) -> builder.metadata(() -> Map.of("user", currentUser()));
 * }
 * }</pre>
 *
 * <p>Every {@code RepositoryCustomizer} bean is applied, in {@link org.springframework.core.Ordered order}, after
 * the {@code eventsource.*} properties, so a customizer can also override them. A {@code Repository} bean that the
 * application defines itself is not customized.
 */
@FunctionalInterface
public interface RepositoryCustomizer {

    /**
     * Customizes a repository builder.
     *
     * @param builder the builder of one aggregate type's repository, already configured from the properties
     */
    void customize(Repository.Builder<?> builder);
}
