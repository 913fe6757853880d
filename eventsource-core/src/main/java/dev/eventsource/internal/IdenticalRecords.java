package dev.eventsource.internal;

import dev.eventsource.PayloadFormat;
import dev.eventsource.Record;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.util.Arrays;
import java.util.List;

/**
 * When a batch being saved is the one already stored, so that saving it again is an idempotent success (a retry
 * after an ambiguous commit): the one notion of "identical" of every store. Records are identical when they have
 * the same version, the same type, the same revision and equal payloads (equal payloads in another revision are
 * another event: a reader upcasts one and not the other); JSON payloads are equal when they parse to equal values
 * (PostgreSQL's {@code jsonb} and MySQL's {@code JSON} normalise spacing and key order), binary payloads when their
 * bytes are.
 */
public final class IdenticalRecords {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private IdenticalRecords() {
    }

    /**
     * Returns whether a batch is already stored.
     *
     * @param stored the stored records of the batch's versions, in version order (fewer when some are missing)
     * @param batch the batch being saved, validated ({@link Batches#validate})
     * @param format the payloads' format, or {@code null} when the store does not know it: payloads are then equal
     *     when their bytes are, or when both parse as JSON to equal values
     * @return whether every record of the batch is stored, identical
     */
    public static boolean isStored(List<Record> stored, List<Record> batch, @Nullable PayloadFormat format) {
        if (stored.size() != batch.size()) {
            return false;
        }
        for (int i = 0; i < batch.size(); i++) {
            Record mine = batch.get(i);
            Record theirs = stored.get(i);
            if (mine.version() != theirs.version() || !mine.type().equals(theirs.type())
                    || mine.revision() != theirs.revision() || !samePayload(mine.data(), theirs.data(), format)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether two payloads are equal: the same bytes, or, unless the format is binary, the same parsed JSON.
     *
     * @param format the payloads' format, or {@code null} when unknown
     */
    public static boolean samePayload(byte[] mine, byte[] stored, @Nullable PayloadFormat format) {
        if (Arrays.equals(mine, stored)) {
            return true;
        }
        if (format == PayloadFormat.BINARY) {
            return false;
        }
        try {
            return JSON.readTree(mine).equals(JSON.readTree(stored));
        } catch (JacksonException e) {
            return false;
        }
    }
}
