package dev.eventsource.benchmarks.startup.bare;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The baseline of the start-up benchmark: a Spring Boot application with the same class path as
 * {@code StarterApp}, without eventsource's auto-configuration.
 */
@SpringBootApplication(excludeName = "dev.eventsource.autoconfigure.EventSourceAutoConfiguration")
public class BareApp {
}
