package dev.eventsource.benchmarks.contender;

import javax.sql.DataSource;
import java.sql.Connection;

/**
 * One way of running the benchmark aggregate's commands and loads against PostgreSQL: this library, raw JDBC
 * (with or without the append lock), or Axon Framework.
 */
public interface Contender extends AutoCloseable {

    /** The contenders' names, as the benchmarks' {@code contender} parameter takes them. */
    String OURS = "ours";
    /** Raw JDBC with this library's SQL, append lock included. */
    String RAW = "raw";
    /** Raw JDBC with a plain insert, no append lock. */
    String RAW_NO_LOCK = "raw-nolock";
    /** This library, on the aggregate whose creating command declares {@code creates = true} (no load). */
    String OURS_CREATES = "ours-creates";
    /** Raw JDBC as {@link #RAW}, with payloads holding only the event's own fields (no id, version, time). */
    String RAW_SLIM = "raw-slim";
    /** Axon Framework 4. */
    String AXON = "axon";

    /**
     * Runs the command that opens an account with {@code deposits} deposits: {@code 1 + deposits} events on a new
     * aggregate.
     */
    void open(String aggregateId, int deposits);

    /** Runs a deposit command on an existing account: load, handle, append one event. */
    void deposit(String aggregateId, long amount);

    /** @return the balance of an account, rehydrated from its events */
    long balance(String aggregateId);

    /** Stores the first {@code events} events of a new account, outside any measurement. */
    void seed(String aggregateId, int events);

    /**
     * Runs the command that opens an account (one event) on the caller's connection, which has autocommit off:
     * the append joins the caller's transaction, which the caller commits later. The slow writer of the
     * concurrent scenarios.
     *
     * @throws UnsupportedOperationException when the contender cannot append in a caller's transaction
     */
    default void openInTransaction(Connection connection, String aggregateId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot append in a caller's"
                + " transaction");
    }

    @Override
    void close();

    /**
     * Creates a contender by name.
     *
     * @return the contender, with its schema created
     * @throws IllegalArgumentException for an unknown name
     */
    static Contender create(String name, DataSource dataSource) {
        return switch (name) {
            case OURS -> new OursContender(dataSource);
            case OURS_CREATES -> new OursCreatesContender(dataSource);
            case RAW -> new RawJdbcContender(dataSource, true, false);
            case RAW_NO_LOCK -> new RawJdbcContender(dataSource, false, false);
            case RAW_SLIM -> new RawJdbcContender(dataSource, true, true);
            case AXON -> new AxonContender(dataSource);
            default -> throw new IllegalArgumentException("Unknown contender '" + name + "'; use one of " + OURS
                    + ", " + OURS_CREATES + ", " + RAW + ", " + RAW_NO_LOCK + ", " + RAW_SLIM + ", " + AXON);
        };
    }
}
