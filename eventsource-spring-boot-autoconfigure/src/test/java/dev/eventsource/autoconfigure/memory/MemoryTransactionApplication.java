package dev.eventsource.autoconfigure.memory;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application on the memory store with a JDBC transaction manager, whose services apply commands to the test
 * {@code Account} aggregate (scanned from the {@code app} package) in {@code @Transactional} methods.
 */
@SpringBootApplication
public class MemoryTransactionApplication {
}
