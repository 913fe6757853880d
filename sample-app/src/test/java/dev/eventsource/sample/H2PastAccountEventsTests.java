package dev.eventsource.sample;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Old account events on the sample's default store, the JDBC store on H2. */
class H2PastAccountEventsTests extends PastAccountEventsTests {

    @DynamicPropertySource
    static void h2(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:past-account-events;DB_CLOSE_DELAY=-1");
    }
}
