package dev.eventsource.autoconfigure;

import dev.eventsource.Aggregate;
import dev.eventsource.internal.AggregateModel;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AggregateScannerTests {

    private static final int AGGREGATES = 200;

    @Test
    void findsAndBindsTwoHundredGeneratedAggregates(@TempDir Path dir) throws IOException {
        Path sources = dir.resolve("src/generated/aggregates");
        Files.createDirectories(sources);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < AGGREGATES; i++) {
            Path file = sources.resolve("Aggregate" + i + ".java");
            Files.writeString(file, """
                    package generated.aggregates;
                    public class Aggregate%1$d extends dev.eventsource.AggregateRoot {
                        @dev.eventsource.annotation.EventHandler void on(Created%1$d event) { }
                        @dev.eventsource.annotation.EventHandler void on(Changed%1$d event) { }
                        public record Created%1$d(String aggregateId, long version, java.time.Instant at)
                                implements dev.eventsource.Event { }
                        public record Changed%1$d(String aggregateId, long version, java.time.Instant at, String value)
                                implements dev.eventsource.Event { }
                    }
                    """.formatted(i));
            files.add(file.toString());
        }
        // A class without handlers, to show that only aggregates are picked.
        Path plain = sources.resolve("Helper.java");
        Files.writeString(plain, "package generated.aggregates; public class Helper { void on(Object o) { } }");
        files.add(plain.toString());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-proc:none",
                "-cp", System.getProperty("java.class.path")));
        arguments.addAll(files);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, arguments.toArray(String[]::new))).isZero();

        try (URLClassLoader classLoader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
                getClass().getClassLoader())) {
            long started = System.nanoTime();
            List<Class<? extends Aggregate>> found = new AggregateScanner(new DefaultResourceLoader(classLoader))
                .scan(List.of("generated.aggregates"));
            long scanned = System.nanoTime();
            JacksonSerializer serializer = JacksonSerializer.json();
            for (Class<? extends Aggregate> aggregate : found) {
                serializer.bind(AggregateModel.of(aggregate).eventTypes().toArray(Class<?>[]::new));
            }
            long bound = System.nanoTime();
            System.out.printf("Scanned %d aggregates in %.1f ms, built their models and bound %d event types in "
                    + "%.1f ms%n", found.size(), (scanned - started) / 1e6, 2 * found.size(), (bound - scanned) / 1e6);
            assertThat(found).hasSize(AGGREGATES).allSatisfy((type) -> assertThat(type.getName())
                .startsWith("generated.aggregates.Aggregate"));
            assertThat(serializer.boundType("Changed199")).isNotNull();
        }
    }
}
