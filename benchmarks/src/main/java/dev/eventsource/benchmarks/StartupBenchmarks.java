package dev.eventsource.benchmarks;

import dev.eventsource.benchmarks.startup.bare.BareApp;
import dev.eventsource.benchmarks.startup.starter.StarterApp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.concurrent.TimeUnit;

/**
 * Start-up of a minimal application on the starter against a bare Spring Boot application with the same class
 * path: the cost the starter adds. Single shot in a fresh JVM per fork, so each sample is a cold start.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StartupBenchmarks {

    /** Which application starts: {@code starter} or {@code bare}. */
    @Param({"starter", "bare"})
    public String app;

    private ConfigurableApplicationContext context;

    /**
     * Starts the application; it is closed after the measurement.
     *
     * @return the started context
     */
    @Benchmark
    public Object start() {
        context = new SpringApplicationBuilder(app.equals("starter") ? StarterApp.class : BareApp.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "logging.level.root=warn",
                        "spring.datasource.url=" + BenchDatabase.url())
                .run();
        return context;
    }

    @TearDown(Level.Iteration)
    public void stop() {
        if (context != null) {
            context.close();
        }
    }
}
