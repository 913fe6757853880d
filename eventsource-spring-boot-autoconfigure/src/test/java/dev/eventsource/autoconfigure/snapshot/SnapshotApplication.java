package dev.eventsource.autoconfigure.snapshot;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application whose aggregates ({@link Ledger} with {@code @Snapshotting}, {@link Tally}) take snapshots, with a
 * JDBC transaction manager around {@link LedgerService}'s commands.
 */
@SpringBootApplication
public class SnapshotApplication {
}
