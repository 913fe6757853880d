package dev.eventsource.sample.session;

import dev.eventsource.autoconfigure.RepositoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Map;

/** Stores the current user with every event that any repository appends, under the metadata key {@value #USER}. */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    /** Metadata key of the user who made a change. */
    public static final String USER = "user";

    @Bean
    RepositoryCustomizer currentUserMetadata() {
        return (builder) -> builder.metadata(() -> Map.of(USER, CurrentUser.name()));
    }
}
