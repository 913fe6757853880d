package dev.eventsource.sample;

import dev.eventsource.store.jdbc.JdbcDialect;
import dev.eventsource.store.jdbc.JdbcStore;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST contract on the sample's default store: the JDBC store on an H2 file database (in a temp directory). */
class H2SampleApiTests extends SampleApiTests {

    private static final Path DATA = temporaryDirectory();

    @Test
    void storesEventsInH2File() {
        createPerson("Ada", "ada@example.com");
        assertThat(this.store).isInstanceOfSatisfying(JdbcStore.class,
                (jdbc) -> assertThat(jdbc.dialect()).isEqualTo(JdbcDialect.H2));
        assertThat(DATA.resolve("eventsource.mv.db")).isRegularFile();
    }

    @DynamicPropertySource
    static void h2File(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + DATA.resolve("eventsource") + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sample-h2-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
