package dev.eventsource.sample.session;

import dev.eventsource.autoconfigure.RepositoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.eventsource.sample.idempotency.IdempotencyKey;

import java.util.Map;

/**
 * Stores the current user with every event that any repository appends, under the metadata key {@value #USER}, and
 * the fingerprint of a request that carries an idempotency key.
 */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    /** Metadata key of the user who made a change. */
    public static final String USER = "user";

    @Bean
    RepositoryCustomizer currentUserMetadata() {
        return (builder) -> builder.metadata(() -> {
            IdempotencyKey key = IdempotencyKey.current();
            return (key != null) ? Map.of(USER, CurrentUser.name(), IdempotencyKey.METADATA, key.fingerprint())
                    : Map.of(USER, CurrentUser.name());
        });
    }
}
