package dev.eventsource.autoconfigure.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application of the {@code @SpringBootTest}s: its package is scanned for aggregates. */
@SpringBootApplication
public class TestApplication {
}
