package dev.eventsource.autoconfigure.projection;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with projections of the test {@code Person} aggregate (scanned from the {@code app} package). */
@SpringBootApplication
public class ProjectionApplication {
}
