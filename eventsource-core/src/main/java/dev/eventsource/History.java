package dev.eventsource;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.RandomAccess;

/**
 * The chain of records of one aggregate, ordered by version and immutable; left-folding it produces the
 * aggregate. The seed's sortable {@code History}: it is sorted once, when created.
 */
public final class History extends AbstractList<Record> implements RandomAccess {

    private static final History EMPTY = new History(new Record[0]);

    private final Record[] records;

    private History(Record[] records) {
        this.records = records;
    }

    /**
     * Creates a history of the given records, sorted by version.
     *
     * @param records the records, in any order; none null
     * @return the history
     * @throws NullPointerException when a record is null
     */
    public static History of(List<Record> records) {
        if (records.isEmpty()) {
            return EMPTY;
        }
        Record[] copy = records.toArray(new Record[0]);
        for (Record record : copy) {
            if (record == null) {
                throw new NullPointerException("History cannot hold a null record");
            }
        }
        if (!isSorted(copy)) {
            Arrays.sort(copy, Comparator.comparingLong(Record::version));
        }
        return new History(copy);
    }

    /** @return a history of the given records, sorted by version */
    public static History of(Record... records) {
        return of(Arrays.asList(records));
    }

    /** @return the empty history */
    public static History empty() {
        return EMPTY;
    }

    /** @return the version of the last record, or 0 when empty */
    public long version() {
        return records.length == 0 ? 0 : records[records.length - 1].version();
    }

    @Override
    public Record get(int index) {
        return records[index];
    }

    @Override
    public int size() {
        return records.length;
    }

    private static boolean isSorted(Record[] records) {
        for (int i = 1; i < records.length; i++) {
            if (records[i - 1].version() > records[i].version()) {
                return false;
            }
        }
        return true;
    }
}
