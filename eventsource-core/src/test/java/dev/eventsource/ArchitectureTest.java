package dev.eventsource;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of eventsource-core (see each package's {@code package-info.java}), checked on the module's
 * class files: a rule that fails names the class and the dependency that broke it.
 */
class ArchitectureTest {

    private static final String API = "dev.eventsource";
    private static final String INTERNAL = "dev.eventsource.internal";
    private static final String ANNOTATION = "dev.eventsource.annotation";

    /** The one documented exception (see the API's package-info): the builder's fallback store and serializer. */
    private static final Set<String> API_DEFAULTS = Set.of(MemoryStore.class.getName(),
            JacksonSerializer.class.getName());

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(API);

    @Test
    void theModuleIsImported() {
        // Guards the rules below against passing on nothing.
        assertThat(CORE.contain(Repository.class)).isTrue();
        assertThat(CORE.contain(dev.eventsource.store.jdbc.JdbcStore.class)).isTrue();
        assertThat(CORE.contain(dev.eventsource.subscription.Subscription.class)).isTrue();
        assertThat(CORE.stream().noneMatch(c -> c.getSimpleName().endsWith("Test"))).isTrue();
    }

    @Test
    void coreImportsNoSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .because("eventsource-core works without Spring; Spring belongs in the autoconfigure module")
                .check(CORE);
    }

    @Test
    void theApiImportsNoImplementation() {
        classes().that().resideInAPackage(API)
                .should(onlyHaveDependenciesWhere(DescribedPredicate.describe(
                        "the target is outside this library, in the API, its annotations or internal package, or is"
                                + " the builder's documented default store or serializer",
                        ArchitectureTest::allowedFromApi)))
                .because("the API names no store, serializer or subscription; the one exception is documented in"
                        + " dev/eventsource/package-info.java")
                .check(CORE);
    }

    @Test
    void theApiDefaultsAreOnlyUsedByTheRepositoryBuilder() {
        // The exception stays as narrow as documented: only Repository.Builder falls back to them.
        List<String> users = CORE.stream().filter(c -> c.getPackageName().equals(API))
                .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                .filter(d -> API_DEFAULTS.contains(d.getTargetClass().getName()))
                .map(d -> d.getOriginClass().getName())
                .distinct().collect(Collectors.toList());
        assertThat(users).containsOnly(Repository.Builder.class.getName());
    }

    @Test
    void internalImportsOnlyTheApi() {
        noClasses().that().resideInAPackage(INTERNAL)
                .should().dependOnClassesThat().resideInAnyPackage("dev.eventsource.store..",
                        "dev.eventsource.serializer..", "dev.eventsource.subscription..", "dev.eventsource.micrometer..")
                .because("internal is the hidden half of the API and shares its rule")
                .check(CORE);
    }

    @Test
    void upcastersKnowNoSerializerStoreOrSubscription() {
        noClasses().that().resideInAPackage("dev.eventsource.upcast")
                .should().dependOnClassesThat().resideInAnyPackage("dev.eventsource.store..",
                        "dev.eventsource.serializer..", "dev.eventsource.subscription..", "dev.eventsource.internal..")
                .because("upcasters work on Jackson trees for any serializer; the serializer calls them, not the other"
                        + " way round")
                .check(CORE);
    }

    @Test
    void storesImportNoSubscriptionCode() {
        noClasses().that().resideInAPackage("dev.eventsource.store..")
                .should().dependOnClassesThat().resideInAPackage("dev.eventsource.subscription..")
                .because("a store does not know its readers; checkpoint stores live with the subscriptions")
                .check(CORE);
    }

    @Test
    void subscriptionsUseNoStoreImplementation() {
        noClasses().that().resideInAPackage("dev.eventsource.subscription")
                .should().dependOnClassesThat().resideInAnyPackage("dev.eventsource.store..",
                        "dev.eventsource.subscription.jdbc..", "java.sql..", "javax.sql..")
                .because("subscriptions read through the Store interface; JDBC checkpoints are in subscription.jdbc")
                .check(CORE);
    }

    @Test
    void nothingImportsMicrometerSupportButItself() {
        noClasses().that().resideOutsideOfPackage("dev.eventsource.micrometer..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.eventsource.micrometer..",
                        "io.micrometer..")
                .because("Micrometer is an optional dependency of eventsource-core")
                .check(CORE);
    }

    @Test
    void noCirclesBetweenPackages() {
        slices().assignedFrom(new PackageSlices())
                .should().beFreeOfCycles()
                .ignoreDependency(DescribedPredicate.describe("Repository.Builder",
                                (JavaClass c) -> c.isEquivalentTo(Repository.Builder.class)),
                        DescribedPredicate.describe("the builder's documented defaults",
                                (JavaClass c) -> API_DEFAULTS.contains(c.getName())))
                .check(CORE);
    }

    @Test
    void everyPackageSaysWhatItOwnsAndMustNotImport() throws IOException {
        Path sources = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            Set<Path> packages = files.filter(f -> f.toString().endsWith(".java")).map(Path::getParent)
                    .collect(Collectors.toSet());
            assertThat(packages).hasSizeGreaterThan(5);
            for (Path dir : packages) {
                Path info = dir.resolve("package-info.java");
                assertThat(info).as("package-info.java of %s", sources.relativize(dir)).exists();
                assertThat(Files.readString(info)).as("package-info.java of %s", sources.relativize(dir))
                        .contains("<b>Owns</b>").contains("<b>Imports</b>");
            }
        }
    }

    private static boolean allowedFromApi(Dependency dependency) {
        JavaClass target = dependency.getTargetClass();
        while (target.isArray()) {
            target = target.getComponentType();
        }
        String pkg = target.getPackageName();
        if (!pkg.equals(API) && !pkg.startsWith(API + ".")) {
            return true;
        }
        return pkg.equals(API) || pkg.equals(ANNOTATION) || pkg.equals(INTERNAL)
                || (dependency.getOriginClass().isEquivalentTo(Repository.Builder.class)
                && API_DEFAULTS.contains(target.getName()));
    }

    /**
     * One slice per package of eventsource-core, except that the API package and {@code internal}, its hidden half
     * (see internal's package-info), are one.
     */
    private static final class PackageSlices implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            if (!pkg.equals(API) && !pkg.startsWith(API + ".")) {
                return SliceIdentifier.ignore();
            }
            return SliceIdentifier.of(pkg.equals(INTERNAL) ? API : pkg);
        }

        @Override
        public String getDescription() {
            return "the packages of eventsource-core, the API with its internal package as one";
        }
    }
}
