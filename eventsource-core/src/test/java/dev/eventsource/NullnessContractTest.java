package dev.eventsource;

import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.subscription.Subscription;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.AnnotatedType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nullness contract a caller's tools (NullAway, the Kotlin compiler, IDEs) read from the class files: every
 * package of eventsource-core is {@link NullMarked}, so an unannotated type means "never null", and the methods whose
 * answer may be null say so with {@link Nullable}.
 */
class NullnessContractTest {

    @Test
    void everyPackageIsNullMarked() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Repository.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(file -> file.toString().endsWith(".class"))
                .map(file -> classes.relativize(file.getParent()).toString().replace(classes.getFileSystem()
                        .getSeparator(), "."))
                .forEach(packages::add);
        }
        assertThat(packages).contains("dev.eventsource", "dev.eventsource.subscription", "dev.eventsource.store.jdbc");

        Set<String> unmarked = new TreeSet<>();
        for (String name : packages) {
            Class<?> packageInfo;
            try {
                packageInfo = Class.forName(name + ".package-info");
            } catch (ClassNotFoundException e) {
                unmarked.add(name + " (no package-info.java)");
                continue;
            }
            if (!packageInfo.isAnnotationPresent(NullMarked.class)) {
                unmarked.add(name);
            }
        }
        assertThat(unmarked).as("packages without @NullMarked in their package-info.java").isEmpty();
    }

    @Test
    void answersThatMayBeNullAreMarkedNullable() throws NoSuchMethodException {
        assertNullableReturn(Record.class, "aggregateType");
        assertNullableReturn(Record.class, "commandId");
        assertNullableReturn(Command.class, "commandId");
        assertNullableReturn(AggregateRoot.class, "id");
        assertNullableReturn(AggregateNotFoundException.class, "storedType");
        assertNullableReturn(Backoff.class, "timeBudget");
        assertNullableReturn(Subscription.class, "failure");
        assertNullableReturn(InvalidHandlerException.class, "method");
        assertNullableReturn(SerializationException.class, "fieldPath");
        assertNullableReturn(JacksonSerializer.class, "boundType", String.class);

        assertThat(JdbcStore.Builder.class.getMethod("dialect", dev.eventsource.store.jdbc.JdbcDialect.class)
                .getAnnotatedParameterTypes()[0].isAnnotationPresent(Nullable.class))
            .as("JdbcStore.Builder.dialect(null) detects the dialect").isTrue();
        assertThat(Record.class.getMethod("aggregateId").getAnnotatedReturnType().isAnnotationPresent(Nullable.class))
            .as("a record always has an aggregate id").isFalse();
    }

    private static void assertNullableReturn(Class<?> type, String method, Class<?>... parameters)
            throws NoSuchMethodException {
        AnnotatedType returned = type.getMethod(method, parameters).getAnnotatedReturnType();
        assertThat(returned.isAnnotationPresent(Nullable.class))
            .as(type.getSimpleName() + "." + method + "() may return null").isTrue();
    }
}
