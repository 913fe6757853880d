package dev.eventsource.sample;

/**
 * Thrown when a command was based on an older version of an aggregate than the current one (an {@code If-Match}
 * that no longer matches); answered with 409, and nothing is stored.
 */
public class StaleVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long expected;

    private final long actual;

    /**
     * Creates the exception.
     *
     * @param kind the kind of aggregate, for example "person"
     * @param id its id
     * @param expected the version the client based its change on
     * @param actual the current version
     */
    public StaleVersionException(String kind, String id, long expected, long actual) {
        super("The " + kind + " '" + id + "' is at version " + actual + ", not " + expected
                + " as If-Match says; nothing was changed. Read it again and retry with If-Match: \"" + actual + "\"");
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * Throws when the client's expected version is set and differs from the current one.
     *
     * @param kind the kind of aggregate
     * @param id its id
     * @param expected the expected version, or {@code null} when the client did not ask for a check
     * @param actual the current version
     * @throws StaleVersionException when the versions differ
     */
    public static void check(String kind, String id, Long expected, long actual) {
        if (expected != null && expected != actual) {
            throw new StaleVersionException(kind, id, expected, actual);
        }
    }

    /** @return the version the client expected */
    public long expected() {
        return this.expected;
    }

    /** @return the version the aggregate is at */
    public long actual() {
        return this.actual;
    }
}
