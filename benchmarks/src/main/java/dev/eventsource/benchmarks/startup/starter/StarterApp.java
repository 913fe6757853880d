package dev.eventsource.benchmarks.startup.starter;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A minimal application on the eventsource starter: one aggregate, found by scanning this package. */
@SpringBootApplication
public class StarterApp {
}
