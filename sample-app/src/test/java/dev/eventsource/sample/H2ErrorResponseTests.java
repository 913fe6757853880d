package dev.eventsource.sample;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;


/** {@link ErrorResponseTests} on the sample's default store, an H2 file database (in a temp directory). */
class H2ErrorResponseTests extends ErrorResponseTests {

    @DynamicPropertySource
    static void h2File(DynamicPropertyRegistry registry) {
        TempH2File.register(registry, "sample-h2-");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }
}
