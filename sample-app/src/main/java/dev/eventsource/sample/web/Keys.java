package dev.eventsource.sample.web;

import dev.eventsource.sample.idempotency.IdempotencyKey;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/** Reads a request's {@code Idempotency-Key} and binds it to the request, for the event metadata. */
final class Keys {

    private Keys() {
    }

    /**
     * Reads the key of a write request.
     *
     * @param header the {@code Idempotency-Key} header, or null
     * @param http the request
     * @param body the parsed body: its canonical JSON, not the bytes sent, is fingerprinted, so a retry that
     *     spaces or orders the body differently is the same request
     * @param mapper the application's mapper
     * @return the key, or null without the header
     */
    static IdempotencyKey of(String header, HttpServletRequest http, Object body, JsonMapper mapper) {
        IdempotencyKey key = IdempotencyKey.of(header, http.getMethod(), http.getRequestURI(),
                mapper.writeValueAsString(body));
        return (key != null) ? key.bindToRequest() : null;
    }
}
