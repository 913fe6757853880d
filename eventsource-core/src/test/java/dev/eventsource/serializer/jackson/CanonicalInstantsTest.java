package dev.eventsource.serializer.jackson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalInstantsTest {

    /** 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the years Instant.toString writes with four digits. */
    static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void readsRandomInstantsOfEveryYearWithZeroToNineFractionDigitsAsTheJdkDoes() {
        SplittableRandom random = new SplittableRandom(20261127);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(FIRST, LAST + 1), nanosWithDigits(random));
            String text = instant.toString();

            assertThat(CanonicalInstants.parse(text)).as(text).isEqualTo(instant);
            String shortest = withoutTrailingFractionZeros(text);
            assertThat(CanonicalInstants.parse(shortest)).as(shortest).isEqualTo(instant);
        }
    }

    @Test
    void readsEveryFractionLengthEvenWithTrailingZeros() {
        for (int digits = 1; digits <= 9; digits++) {
            String text = "2024-05-06T07:08:09." + "1000000000".substring(0, digits) + "Z";

            assertThat(CanonicalInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "2024-02-29T12:00:00Z", "2000-02-29T00:00:00Z", "1600-02-29T00:00:00Z",
            "2023-12-31T23:59:59.9Z", "2024-01-01T00:00:00.000000001Z", "0004-02-29T00:00:00Z", "2024-12-31T23:59:59Z",
            "2100-03-01T00:00:00Z", "2038-01-19T03:14:08Z"})
    void readsBoundariesLeapDaysAndTheEpochAsTheJdkDoes(String text) {
        assertThat(CanonicalInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @Test
    void everyDayOfFourHundredYearsFromYearZeroAndAroundTheEpochMatchesTheJdk() {
        for (long day = FIRST / 86_400; day < FIRST / 86_400 + 146_097; day++) {
            assertDayMatches(day);
        }
        for (long day = -146_097; day < 146_097; day++) {
            assertDayMatches(day);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2024-05-06T07:08:09", "2024-05-06T07:08:09z", "2024-05-06t07:08:09Z",
            "2024-05-06 07:08:09Z", "2024-05-06T07:08:09.Z", "2024-05-06T07:08:09.1234567890Z",
            "2024-05-06T07:08:09+00:00", "2024-05-06T07:08:09+01:00", "2024-05-06T07:08Z", " 2024-05-06T07:08:09Z",
            "2024-05-06T07:08:09Z ", "+12024-05-06T07:08:09Z", "-0001-05-06T07:08:09Z", "2024-13-06T07:08:09Z",
            "2024-00-06T07:08:09Z", "2024-05-00T07:08:09Z", "2024-04-31T07:08:09Z", "2023-02-29T07:08:09Z",
            "1900-02-29T07:08:09Z", "2024-05-06T24:00:00Z", "2024-05-06T23:60:00Z", "2024-12-31T23:59:60Z",
            "2024-05-06T07:08:09,5Z", "2024-05-06T07:08:0xZ", "２０２４-05-06T07:08:09Z", "2024-05-06T07:08:09.1a3Z",
            "2024/05/06T07:08:09Z", "1714979289", "1714979289.123"})
    void leavesEveryOtherFormToTheDeserializerItWraps(String text) {
        assertThat(CanonicalInstants.parse(text)).isNull();
    }

    @Test
    void whatItReadsTheJdkReadsAlikeAndWhatTheJdkRefusesItNeverReads() {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "0123456789-:TZ.+ ";
        for (int i = 0; i < 200_000; i++) {
            char[] text = Instant.ofEpochSecond(random.nextLong(FIRST, LAST + 1), nanosWithDigits(random))
                    .toString().toCharArray();
            text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            String mutated = new String(text);

            Instant ours = CanonicalInstants.parse(mutated);
            if (ours != null) {
                assertThat(ours).as(mutated).isEqualTo(jdk(mutated));
            }
        }
    }

    @Test
    void readsTextInTheMiddleOfABuffer() {
        char[] buffer = "{\"at\":\"2024-05-06T07:08:09.123Z\"}".toCharArray();

        assertThat(CanonicalInstants.parse(buffer, 7, 24)).isEqualTo(Instant.parse("2024-05-06T07:08:09.123Z"));
        assertThat(CanonicalInstants.parse((String) null)).isNull();
    }

    private static void assertDayMatches(long day) {
        Instant instant = Instant.ofEpochSecond(day * 86_400 + 86_399);
        assertThat(CanonicalInstants.parse(instant.toString())).as(instant.toString()).isEqualTo(instant);
    }

    private static int nanosWithDigits(SplittableRandom random) {
        int digits = random.nextInt(10);
        int[] scale = {1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
        return digits == 0 ? 0 : random.nextInt(1_000_000_000) / scale[digits] * scale[digits];
    }

    /** Instant.toString writes 0, 3, 6 or 9 fraction digits; other writers may write 1 to 9. */
    private static String withoutTrailingFractionZeros(String text) {
        if (text.indexOf('.') < 0) {
            return text;
        }
        String fraction = text.substring(text.indexOf('.') + 1, text.length() - 1).replaceAll("0+$", "");
        return text.substring(0, text.indexOf('.')) + (fraction.isEmpty() ? "" : "." + fraction) + "Z";
    }

    private static Instant jdk(String text) {
        try {
            return Instant.from(DateTimeFormatter.ISO_INSTANT.parse(text));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
