package dev.eventsource.sample.session;

import dev.eventsource.sample.PlainText;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The user of the current HTTP request, from its {@code X-User} header; {@value #ANONYMOUS} when the header is
 * absent or blank, or outside a request. A real service would take it from its authentication instead.
 */
public final class CurrentUser {

    /** Name of the request header that names the user. */
    public static final String HEADER = "X-User";

    /** User recorded when the request names none. */
    public static final String ANONYMOUS = "anonymous";

    /** Longest user name accepted, so that a header cannot bloat every stored event. */
    public static final int MAX_LENGTH = 64;

    private CurrentUser() {
    }

    /**
     * Returns the user of the request being handled by this thread.
     *
     * @return the trimmed {@code X-User} header, percent-decoded as UTF-8, or {@value #ANONYMOUS}
     * @throws InvalidUserException when the header is not ASCII, not percent-encoded UTF-8, not plain text or longer
     *     than {@value #MAX_LENGTH} characters
     */
    public static String name() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (!(attributes instanceof ServletRequestAttributes servlet)) {
            return ANONYMOUS;
        }
        HttpServletRequest request = servlet.getRequest();
        String header = request.getHeader(HEADER);
        if (header == null || header.isBlank()) {
            return ANONYMOUS;
        }
        String user = decode(header.strip());
        String problem = PlainText.problem(user);
        if (problem != null) {
            throw new InvalidUserException("Header " + HEADER + " " + problem);
        }
        if (user.length() > MAX_LENGTH) {
            throw new InvalidUserException("Header " + HEADER + " has " + user.length()
                    + " characters; send a user name of at most " + MAX_LENGTH + " characters, or none for '"
                    + ANONYMOUS + "'");
        }
        return user;
    }

    /**
     * Decodes a header value: visible ASCII, in which other characters are percent-encoded UTF-8 ({@code Jos%C3%A9}
     * for José). HTTP headers carry bytes the server reads as ISO-8859-1, so raw UTF-8 would be stored garbled
     * ("JosÃ©"); it is refused instead.
     */
    private static String decode(String header) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length());
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new InvalidUserException("Header " + HEADER + " must be ASCII (found " + String.format("U+%04X",
                        (int) c) + "); send other characters percent-encoded as UTF-8, such as Jos%C3%A9 for Jos\u00e9");
            }
            if (c == '%') {
                if (i + 2 >= header.length() || !HexFormat.isHexDigit(header.charAt(i + 1))
                        || !HexFormat.isHexDigit(header.charAt(i + 2))) {
                    throw new InvalidUserException("Header " + HEADER + " has a '%' that does not start a percent-encoded"
                            + " byte; send each byte of the UTF-8 name as %XX with two hex digits, such as Jos%C3%A9,"
                            + " and a '%' itself as %25");
                }
                bytes.write(HexFormat.fromHexDigits(header, i + 1, i + 3));
                i += 2;
            }
            else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
        }
        catch (CharacterCodingException ex) {
            throw new InvalidUserException("Header " + HEADER + " is not percent-encoded UTF-8; send each byte of the"
                    + " UTF-8 name as %XX, such as Jos%C3%A9 for Jos\u00e9");
        }
    }

    /** Thrown when the {@code X-User} header cannot be used as a user name; answered with 400. */
    public static class InvalidUserException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong and what to send instead
         */
        public InvalidUserException(String message) {
            super(message);
        }
    }
}
