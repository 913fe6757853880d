package dev.eventsource.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC store warns at start-up when its H2 file database delays writing commits (H2's default WRITE_DELAY of
 * 500 ms loses acknowledged appends on a crash), and names the setting to add; it stays quiet when commits are
 * written at once and for in-memory databases.
 */
@ExtendWith(OutputCaptureExtension.class)
class H2WriteDelayWarningTests {

    private static final String WARNING = "delays writing commits to disk by 500 ms (WRITE_DELAY)";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                DataSourceAutoConfiguration.class))
        .withPropertyValues("eventsource.scan.base-packages=dev.eventsource.autoconfigure.app",
                "eventsource.jdbc.initialize-schema=always");

    @TempDir
    Path data;

    @Test
    void warnsForAnH2FileDatabaseWithTheDefaultWriteDelay(CapturedOutput output) {
        this.contextRunner.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + this.data.resolve("events"))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                List<String> warnings = output.getAll().lines().filter((line) -> line.contains(WARNING)).toList();
                assertThat(warnings).singleElement().asString().contains("WARN")
                    .contains("Add ;WRITE_DELAY=0 to the JDBC URL (spring.datasource.url)")
                    .doesNotContain(this.data.toString());
            });
    }

    @Test
    void staysQuietWhenCommitsAreWrittenAtOnce(CapturedOutput output) {
        this.contextRunner
            .withPropertyValues("spring.datasource.url=jdbc:h2:file:" + this.data.resolve("events") + ";WRITE_DELAY=0")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output.getAll()).contains("Event store: JDBC").doesNotContain("WRITE_DELAY");
            });
    }

    @Test
    void staysQuietForAnInMemoryDatabase(CapturedOutput output) {
        this.contextRunner
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(output.getAll()).contains("Event store: JDBC").doesNotContain("WRITE_DELAY");
            });
    }
}
