package dev.eventsource.sample.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the version a client based its change on from an {@code If-Match} header, where the version is the
 * entity tag this API sends as {@code ETag}: a number in quotes, such as {@code "3"}.
 */
final class IfMatch {

    private static final Pattern VERSION_TAG = Pattern.compile("\"(\\d{1,18})\"");

    private IfMatch() {
    }

    /**
     * Returns the expected version, or {@code null} when the header is absent or {@code *} (any version).
     *
     * @throws InvalidIfMatchException when the header holds anything else
     */
    static Long expectedVersion(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return null;
        }
        Matcher matcher = VERSION_TAG.matcher(header.strip());
        if (!matcher.matches()) {
            throw new InvalidIfMatchException("If-Match must be one version in double quotes, such as \"3\" (the ETag "
                    + "of the last response), or *; got " + header.strip());
        }
        return Long.valueOf(matcher.group(1));
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** Thrown for an {@code If-Match} header that names no version; answered with 400. */
    static final class InvalidIfMatchException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidIfMatchException(String message) {
            super(message);
        }
    }
}
