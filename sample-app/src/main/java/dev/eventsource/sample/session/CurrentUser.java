package dev.eventsource.sample.session;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

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
     * @return the trimmed {@code X-User} header, or {@value #ANONYMOUS}
     * @throws InvalidUserException when the header is longer than {@value #MAX_LENGTH} characters
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
        String user = header.strip();
        if (user.length() > MAX_LENGTH) {
            throw new InvalidUserException("Header " + HEADER + " has " + user.length()
                    + " characters; send a user name of at most " + MAX_LENGTH + " characters, or none for '"
                    + ANONYMOUS + "'");
        }
        return user;
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
