package dev.eventsource.autoconfigure.actuate;

import dev.eventsource.Store;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterNotFoundException;
import dev.eventsource.subscription.Subscription;
import dev.eventsource.subscription.SubscriptionOperationException;
import dev.eventsource.subscription.SubscriptionStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code eventsource} Actuator endpoint ({@code /actuator/eventsource}): the store (kind, table, head) and every
 * subscription (state, checkpoint, lag, lease, dead letters, last failure); per subscription its dead letters; and,
 * only when the endpoint's access is {@code unrestricted}, the operations restart, skip, replay, reset, pause and
 * resume. Read-only by default. Each operation is recorded through the checkpoint store, so it reaches the instance
 * holding the subscription's lease wherever it was posted, and is logged at INFO with who asked.
 */
@Endpoint(id = "eventsource", defaultAccess = Access.READ_ONLY)
public class EventSourceEndpoint {

    private static final Log LOG = LogFactory.getLog(EventSourceEndpoint.class);

    private final Store store;
    private final Supplier<Map<String, Subscription>> subscriptions;

    /**
     * Creates the endpoint.
     *
     * @param store the application's store
     * @param subscriptions the subscriptions to show, by name, read anew at each request
     */
    public EventSourceEndpoint(Store store, Supplier<Map<String, Subscription>> subscriptions) {
        this.store = Objects.requireNonNull(store, "store");
        this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
    }

    /**
     * Describes the store and every subscription.
     *
     * @return {@code store} and {@code subscriptions}
     */
    @ReadOperation
    public Map<String, Object> eventsource() {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, @Nullable Object> store = new LinkedHashMap<>();
        store.put("kind", kind(this.store));
        store.put("table", (this.store instanceof JdbcStore jdbc) ? jdbc.tableName() : null);
        store.put("head", this.store.lastPosition());
        body.put("store", store);
        List<Map<String, @Nullable Object>> list = new ArrayList<>();
        for (Subscription subscription : this.subscriptions.get().values()) {
            list.add(describe(subscription.status()));
        }
        body.put("subscriptions", list);
        return body;
    }

    /**
     * Describes one subscription with its dead letters.
     *
     * @param name the subscription's name
     * @return the subscription with {@code deadLetterList}; 404 when there is no such subscription
     */
    @ReadOperation
    public WebEndpointResponse<Map<String, @Nullable Object>> subscription(@Selector String name) {
        Subscription subscription = this.subscriptions.get().get(name);
        if (subscription == null) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, unknown(name));
        }
        return new WebEndpointResponse<>(detailed(subscription), WebEndpointResponse.STATUS_OK);
    }

    /**
     * Records an operation on a subscription, for the instance holding its lease to execute.
     *
     * @param name the subscription's name
     * @param operation {@code restart}, {@code skip}, {@code pause}, {@code resume}, {@code reset} or
     *     {@code replay}
     * @param position for reset: the position to restart after (0 or absent: the beginning)
     * @param deadLetter for replay: the dead letter's id
     * @param security who asks
     * @return the subscription after the operation was recorded; 400 for an unknown operation or a missing argument,
     *     404 for an unknown subscription or dead letter, 409 when the operation does not fit the state
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, @Nullable Object>> operate(@Selector String name,
            @Nullable String operation, @Nullable Long position, @Nullable Long deadLetter,
            SecurityContext security) {
        Subscription subscription = this.subscriptions.get().get(name);
        if (subscription == null) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, unknown(name));
        }
        if (operation == null || operation.isBlank()) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Name the operation: {\"operation\": \"restart\"},"
                    + " or skip, pause, resume, reset (with \"position\") or replay (with \"deadLetter\")");
        }
        String who = who(security);
        String op = operation.trim().toLowerCase(Locale.ROOT);
        try {
            switch (op) {
                case "restart" -> subscription.restart();
                case "skip" -> subscription.skip();
                case "pause" -> subscription.pause();
                case "resume" -> subscription.resume();
                case "reset" -> {
                    long to = (position != null) ? position : 0;
                    try {
                        subscription.reset(to);
                    } catch (IllegalArgumentException e) { // a negative position
                        return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
                    }
                    op = "reset to position " + to;
                }
                case "replay" -> {
                    if (deadLetter == null) {
                        return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Replay needs the dead letter's id:"
                                + " {\"operation\": \"replay\", \"deadLetter\": 7}");
                    }
                    subscription.replay(deadLetter);
                    op = "replay of dead letter " + deadLetter;
                }
                default -> {
                    return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Unknown operation '" + operation
                            + "'; use restart, skip, pause, resume, reset or replay");
                }
            }
        } catch (DeadLetterNotFoundException e) {
            return error(WebEndpointResponse.STATUS_NOT_FOUND, e.getMessage());
        } catch (SubscriptionOperationException e) {
            LOG.info("Refused " + op + " of subscription '" + name + "' asked by " + who + ": " + e.getMessage());
            return error(409, e.getMessage());
        }
        LOG.info("Recorded " + op + " of subscription '" + name + "', asked by " + who);
        return new WebEndpointResponse<>(describe(subscription.status()), WebEndpointResponse.STATUS_OK);
    }

    private Map<String, @Nullable Object> detailed(Subscription subscription) {
        Map<String, @Nullable Object> body = describe(subscription.status());
        List<Map<String, Object>> letters = new ArrayList<>();
        for (DeadLetter letter : subscription.deadLetters().list(subscription.name())) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", letter.id());
            item.put("position", letter.position());
            item.put("aggregateType", letter.aggregateType());
            item.put("aggregateId", letter.aggregateId());
            item.put("version", letter.version());
            item.put("eventType", letter.eventType());
            item.put("error", letter.error());
            item.put("recordedAt", letter.recordedAt().toString());
            letters.add(item);
        }
        body.put("deadLetterList", letters);
        return body;
    }

    private static Map<String, @Nullable Object> describe(SubscriptionStatus status) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("name", status.name());
        body.put("state", status.state().name());
        body.put("failurePolicy", status.failurePolicy().value());
        body.put("checkpoint", status.checkpoint());
        body.put("head", status.head());
        body.put("lag", status.lag());
        body.put("lagMillis", status.lagMillis());
        body.put("owner", status.owner());
        body.put("leaseExpiresAt", status.leaseExpiresAt() != null ? status.leaseExpiresAt().toString() : null);
        body.put("deadLetters", status.deadLetters());
        SubscriptionStatus.Failure failure = status.lastFailure();
        if (failure == null) {
            body.put("lastFailure", null);
        } else {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("position", failure.position());
            last.put("aggregateType", failure.aggregateType());
            last.put("aggregateId", failure.aggregateId());
            last.put("version", failure.version());
            last.put("eventType", failure.eventType());
            last.put("error", failure.error());
            last.put("at", failure.at().toString());
            body.put("lastFailure", last);
        }
        return body;
    }

    private static String kind(Store store) {
        if (store instanceof JdbcStore) {
            return "jdbc";
        }
        if (store instanceof MemoryStore) {
            return "memory";
        }
        return store.getClass().getSimpleName();
    }

    private String unknown(String name) {
        return "No subscription '" + name + "'; the subscriptions are " + this.subscriptions.get().keySet();
    }

    private static String who(SecurityContext security) {
        Principal principal = security.getPrincipal();
        return (principal != null) ? principal.getName() : "anonymous";
    }

    private static WebEndpointResponse<Map<String, @Nullable Object>> error(int status, String message) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", message);
        return new WebEndpointResponse<>(body, status);
    }
}
