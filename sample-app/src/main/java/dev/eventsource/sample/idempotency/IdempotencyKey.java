package dev.eventsource.sample.idempotency;

import dev.eventsource.AggregateRoot;
import dev.eventsource.CommandResult;
import dev.eventsource.Repository;
import dev.eventsource.StoredEvent;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The {@code Idempotency-Key} of a write request, with a fingerprint of the request it came with. The key becomes
 * the library's command id, so a retried request is answered from the store instead of running twice; the
 * fingerprint is stored in the event metadata under {@value #METADATA}, so that the same key sent with another
 * request is refused.
 *
 * @param key the client's key
 * @param fingerprint the SHA-256 of the request's method, path and parsed body, in hex
 */
public record IdempotencyKey(String key, String fingerprint) {

    /** Name of the request header. */
    public static final String HEADER = "Idempotency-Key";

    /** Metadata key of the request fingerprint stored with the events of a keyed request. */
    public static final String METADATA = "request";

    private static final String ATTRIBUTE = IdempotencyKey.class.getName();

    /** Longest key accepted. */
    public static final int MAX_LENGTH = 128;

    /**
     * Reads a key from its header value.
     *
     * @param header the header value, or null
     * @param method the request's method
     * @param path the request's path
     * @param body the request body as parsed, serialized canonically by the caller
     * @return the key, or null when the header is absent
     * @throws InvalidIdempotencyKeyException when the header is blank, too long or not visible ASCII
     */
    public static IdempotencyKey of(String header, String method, String path, String body) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > MAX_LENGTH || !header.chars().allMatch((c) -> c > 0x20 && c < 0x7F)) {
            throw new InvalidIdempotencyKeyException("Header " + HEADER + " must be 1 to " + MAX_LENGTH
                    + " visible ASCII characters without spaces, such as a UUID; send a new key for each new request"
                    + " and the same key when you retry one");
        }
        return new IdempotencyKey(header, sha256(method + " " + path + "\n" + body));
    }

    /**
     * Returns the id of the aggregate a keyed create makes: derived from the key, so a retried create finds the
     * aggregate the first attempt made.
     *
     * @param kind what is created, for example "person"
     * @return a name-based UUID
     */
    public String aggregateId(String kind) {
        return UUID.nameUUIDFromBytes((kind + "\n" + this.key).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Checks that the events a key already produced came from the same request.
     *
     * @param history the aggregate's history
     * @param version the version of the key's last event
     * @throws IdempotencyKeyReusedException when they came with another request
     */
    public void requireSameRequest(List<StoredEvent> history, long version) {
        String stored = history.get((int) version - 1).metadata().get(METADATA);
        if (!this.fingerprint.equals(stored)) {
            throw new IdempotencyKeyReusedException("Header " + HEADER + " '" + this.key
                    + "' was already used with another request; nothing was changed. Send a new key for a new request");
        }
    }

    /**
     * Returns the command id for a request's key.
     *
     * @param key the request's key, or null
     * @return the key's text, or null without a key
     */
    public static String commandId(IdempotencyKey key) {
        return (key != null) ? key.key : null;
    }

    /**
     * Answers a command from its result: the aggregate right after the command. A result the store answered for a
     * key it already held is first checked to come from the same request.
     *
     * @param result what the repository did
     * @param key the request's key, or null
     * @param repository the repository, to read the original request's fingerprint
     * @param <A> the aggregate type
     * @return the aggregate after the command
     * @throws IdempotencyKeyReusedException when the key was first used with another request
     */
    public static <A extends AggregateRoot> A answer(CommandResult<A> result, IdempotencyKey key,
            Repository<A> repository) {
        if (result.duplicate()) {
            key.requireSameRequest(repository.history(result.aggregate().id()), result.version());
        }
        return result.aggregate();
    }

    /**
     * Makes this key the one of the current request, so the events it produces store its fingerprint.
     *
     * @return this key
     */
    public IdempotencyKey bindToRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(ATTRIBUTE, this, RequestAttributes.SCOPE_REQUEST);
        }
        return this;
    }

    /** @return the key of the current request, or null when it has none or there is no request */
    public static IdempotencyKey current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return (attributes != null
                && attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof IdempotencyKey key)
                ? key : null;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    /** Thrown for an unusable {@code Idempotency-Key} header; answered with 400. */
    public static class InvalidIdempotencyKeyException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidIdempotencyKeyException(String message) {
            super(message);
        }
    }

    /** Thrown when a key comes back with another request; answered with 422, nothing stored. */
    public static class IdempotencyKeyReusedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        IdempotencyKeyReusedException(String message) {
            super(message);
        }
    }
}
