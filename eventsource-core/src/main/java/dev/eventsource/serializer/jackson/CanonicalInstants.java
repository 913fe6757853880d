package dev.eventsource.serializer.jackson;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * Parses the one textual form {@link Instant#toString()} and Jackson write for instants of years 0000 to 9999,
 * {@code yyyy-MM-ddTHH:mm:ss[.f]Z} with 1 to 9 fraction digits, without {@code DateTimeFormatter}, which builds
 * a parse context, a field map and a formatter per call and was the largest single cost of reading an event.
 *
 * <p>Anything outside that form (offsets, lower-case letters, spaces, signed or five-digit years, hour 24,
 * leap second 60, an impossible date) is not an error here: {@link #parse} returns {@code null} and the caller
 * hands the text to the deserializer the mapper would have used, so those keep their exact behaviour and
 * error messages.
 */
final class CanonicalInstants {

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
            100_000_000, 1_000_000_000};

    private CanonicalInstants() {
    }

    /**
     * @param text the text
     * @return the instant, or {@code null} when the text is not in the canonical UTC form
     */
    static @Nullable Instant parse(@Nullable String text) {
        return text == null ? null : parse(text.toCharArray(), 0, text.length());
    }

    /**
     * @param chars  the buffer holding the text
     * @param offset where the text starts in the buffer
     * @param length the length of the text
     * @return the instant, or {@code null} when the text is not in the canonical UTC form
     */
    static @Nullable Instant parse(char[] chars, int offset, int length) {
        // 2024-05-06T07:08:09Z is 20 characters; a fraction adds a dot and 1 to 9 digits.
        if (length != 20 && (length < 22 || length > 30)) {
            return null;
        }
        int end = offset + length;
        if (chars[offset + 4] != '-' || chars[offset + 7] != '-' || chars[offset + 10] != 'T'
                || chars[offset + 13] != ':' || chars[offset + 16] != ':' || chars[end - 1] != 'Z') {
            return null;
        }
        int year = digits(chars, offset, 4);
        int month = digits(chars, offset + 5, 2);
        int day = digits(chars, offset + 8, 2);
        int hour = digits(chars, offset + 11, 2);
        int minute = digits(chars, offset + 14, 2);
        int second = digits(chars, offset + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (chars[offset + 19] != '.') {
                return null;
            }
            int fractionDigits = length - 21;
            int fraction = digits(chars, offset + 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction * POWERS_OF_TEN[9 - fractionDigits];
        }
        long seconds = epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3_600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** @return the value of {@code count} decimal digits, or -1 when one of them is not an ASCII digit */
    private static int digits(char[] chars, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = chars[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /**
     * Days from 1970-01-01 in the proleptic Gregorian calendar, for years 0 to 9999: the count of days before
     * the year (shifted to start in March, so the leap day is the year's last), plus the day of that year.
     */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int monthFromMarch = month > 2 ? month - 3 : month + 9;
        int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
