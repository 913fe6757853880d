package dev.eventsource.sample;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The sample's default store for a test class: an H2 file database of its own, in a new temp directory. */
final class TempH2File {

    private TempH2File() {
    }

    /**
     * Sets {@code spring.datasource.url} to a new H2 file database (written at once: {@code WRITE_DELAY=0}).
     *
     * @param registry the test class's dynamic properties
     * @param prefix the temp directory's name prefix
     */
    static void register(DynamicPropertyRegistry registry, String prefix) {
        String file;
        try {
            file = Files.createTempDirectory(prefix).resolve("eventsource").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }
}
