package dev.eventsource.sample;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** {@link ErrorResponseTests} on the sample's default store, an H2 file database (in a temp directory). */
class H2ErrorResponseTests extends ErrorResponseTests {

    @DynamicPropertySource
    static void h2File(DynamicPropertyRegistry registry) {
        try {
            String file = Files.createTempDirectory("sample-h2-").resolve("eventsource").toString();
            registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }
}
