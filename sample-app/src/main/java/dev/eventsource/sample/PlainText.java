package dev.eventsource.sample;

/**
 * The rules for text a user enters (names, emails, the {@code X-User} header): printable Unicode, with no control
 * characters (ANSI escapes, NUL, line breaks), no bidirectional controls that make text display differently from
 * what is stored, no unpaired surrogates, and at least one visible character.
 */
public final class PlainText {

    private PlainText() {
    }

    /**
     * Checks a text against the rules.
     *
     * @param text the text; null passes (presence is checked elsewhere)
     * @return null when the text is acceptable, otherwise what is wrong and what to send instead, as the end of a
     *     sentence that starts with the field's name, such as "must not contain control characters ..."
     */
    public static String problem(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        boolean visible = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                visible = true;
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                return "must not contain an unpaired surrogate (" + codePoint(c)
                        + "); send valid UTF-8 text";
            }
            if (Character.getType(c) == Character.CONTROL) {
                return "must not contain control characters such as line breaks, tabs or escapes (found " + codePoint(c)
                        + "); send plain text on one line";
            }
            if (isBidiControl(c)) {
                return "must not contain bidirectional control characters (found " + codePoint(c)
                        + "); send the text without them";
            }
            visible |= !isInvisible(c);
        }
        return visible ? null : "must contain a visible character, not only spaces or invisible characters such as"
                + " zero-width spaces";
    }

    private static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }

    private static boolean isInvisible(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT
                || c == '\u034F' || c == '\u115F' || c == '\u1160' || c == '\u180E' || c == '\u2800' || c == '\u3164'
                || c == '\uFFA0';
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
