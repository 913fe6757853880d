package dev.eventsource.store.jdbc;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated, optionally schema-qualified table name, and the names derived from it (lock, checkpoints and snapshots
 * tables, constraints).
 * Only names that pass {@link #of(String)} are ever put into SQL text, unquoted.
 */
record TableName(String qualified, @Nullable String schema, String table) {

    /** Room left for the longest derived suffix within PostgreSQL's 63-byte identifier limit. */
    static final int MAX_TABLE_LENGTH = 40;
    static final int MAX_SCHEMA_LENGTH = 63;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static TableName of(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidTableNameException(name, "it is empty");
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length > 2) {
            throw new InvalidTableNameException(name, "it has more than one dot; only schema.table is allowed");
        }
        String schema = parts.length == 2 ? parts[0] : null;
        String table = parts[parts.length - 1];
        if (schema != null) {
            requireIdentifier(name, schema, "schema", MAX_SCHEMA_LENGTH);
        }
        requireIdentifier(name, table, "table", MAX_TABLE_LENGTH);
        return new TableName(name, schema, table);
    }

    private static void requireIdentifier(String name, String part, String what, int maxLength) {
        if (part.isEmpty()) {
            throw new InvalidTableNameException(name, "the " + what + " part is empty");
        }
        if (!IDENTIFIER.matcher(part).matches()) {
            throw new InvalidTableNameException(name, "the " + what + " part '" + part
                    + "' has a character other than a letter, digit or underscore, or starts with a digit");
        }
        if (part.length() > maxLength) {
            throw new InvalidTableNameException(name, "the " + what + " part has " + part.length()
                    + " characters; at most " + maxLength + " are allowed");
        }
    }

    /** @return the one-row table whose row is locked by every append on MySQL, MariaDB and H2 */
    String lockTable() {
        return qualified + "_lock";
    }

    /** @return the name of a constraint or index: the unqualified table name plus a suffix */
    String constraint(String suffix) {
        return table + "_" + suffix;
    }

    /** @return the table of subscription checkpoints and leases kept beside the events table */
    String checkpointTable() {
        return qualified + "_checkpoints";
    }

    /** @return the table of the events subscriptions passed over (dead letters), kept beside the events table */
    String deadLetterTable() {
        return qualified + "_dead_letters";
    }

    /** @return the table of the latest snapshot of each aggregate, kept beside the events table */
    String snapshotTable() {
        return qualified + "_snapshots";
    }

    /**
     * Names the PostgreSQL notification channel of appends to this table: the lower-case qualified name, which is
     * at most 104 characters, hashed down when it exceeds the 63 bytes a channel name may have.
     */
    String notifyChannel() {
        String name = qualified.toLowerCase(Locale.ROOT);
        if (name.length() <= 63) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            StringBuilder channel = new StringBuilder("eventsource_");
            for (int i = 0; i < 16; i++) {
                channel.append(String.format("%02x", hash[i]));
            }
            return channel.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return qualified;
    }
}
