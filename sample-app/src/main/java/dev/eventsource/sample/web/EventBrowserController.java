package dev.eventsource.sample.web;

import dev.eventsource.EventLimits;
import dev.eventsource.History;
import dev.eventsource.Record;
import dev.eventsource.Serializer;
import dev.eventsource.Store;
import dev.eventsource.sample.PlainText;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The read-only API behind the event browser page ({@code /}): the global stream page by page, an aggregate's
 * history, and where the page finds the {@code eventsource} Actuator endpoint. Nothing here writes.
 */
@RestController
@RequestMapping(path = "/api", produces = MediaType.APPLICATION_JSON_VALUE)
class EventBrowserController {

    /** Events on a page when the request does not say. */
    static final int DEFAULT_LIMIT = 20;

    /** Most events on one page. */
    static final int MAX_LIMIT = 500;

    /** Events of an aggregate's history on a page when the request does not say. */
    static final int DEFAULT_HISTORY_LIMIT = 100;

    private final Store store;

    private final Serializer serializer;

    private final JsonMapper mapper;

    private final EventBrowserSettings settings;

    EventBrowserController(Store store, Serializer serializer, JsonMapper mapper, EventBrowserSettings settings) {
        this.store = store;
        this.serializer = serializer;
        this.mapper = mapper;
        this.settings = settings;
    }

    /**
     * A page of the global stream, in position order: the events after {@code after}, or the last ones before
     * {@code before}, or (neither given) the newest ones.
     */
    @GetMapping("/events")
    StreamPage events(@RequestParam(required = false) String after, @RequestParam(required = false) String before,
            @RequestParam(required = false) String limit) {
        int size = limit(limit, DEFAULT_LIMIT);
        if (after != null && before != null) {
            throw new InvalidQueryException("Give either 'after' (the page that follows a position) or 'before' (the"
                    + " page that precedes it), not both");
        }
        long head = this.store.lastPosition();
        List<Record> records;
        long lastShown;
        if (after != null) {
            long position = position("after", after, 0);
            records = this.store.readAll(position, size);
            lastShown = position;
        }
        else {
            long bound = (before != null) ? position("before", before, 1) : head + 1;
            records = lastBefore(bound, size);
            lastShown = bound - 1;
        }
        long firstShown = lastShown + 1;
        if (!records.isEmpty()) {
            firstShown = records.get(0).position();
            lastShown = records.get(records.size() - 1).position();
        }
        List<Record> first = this.store.readAll(0, 1);
        boolean older = !first.isEmpty() && first.get(0).position() < firstShown;
        boolean newer = lastShown < head;
        return new StreamPage(StoredEventView.of(records, this.serializer, this.mapper), head, older, newer);
    }

    /** An aggregate's history, any aggregate type, in version order: the events after version {@code after}. */
    @GetMapping("/aggregates/{id}/events")
    AggregateHistory history(@PathVariable String id, @RequestParam(required = false) String after,
            @RequestParam(required = false) String limit) {
        String problem = PlainText.problem(id);
        if (problem != null || id.isBlank() || id.length() > EventLimits.MAX_ID_LENGTH) {
            throw new InvalidQueryException("Aggregate id " + ((problem != null) ? problem
                    : "must be 1 to " + EventLimits.MAX_ID_LENGTH + " characters of plain text; send the id as the"
                            + " stream shows it"));
        }
        int size = limit(limit, DEFAULT_HISTORY_LIMIT);
        long from = position("after", (after != null) ? after : "0", 0);
        // One more than asked for tells whether the history goes on.
        History history = this.store.load(id, from + 1, Math.addExact(from, size + 1L));
        if (history.stream().anyMatch((record) -> record.position() == 0)) {
            // Committed but not numbered yet (the JDBC store on PostgreSQL numbers events in the global stream when
            // it is next read): reading the head numbers them, so the page can show every event's position.
            this.store.lastPosition();
            history = this.store.load(id, from + 1, Math.addExact(from, size + 1L));
        }
        List<Record> records = new ArrayList<>(history);
        boolean more = records.size() > size;
        if (more) {
            records = records.subList(0, size);
        }
        String type = records.isEmpty() ? this.store.load(id, 1, 1).get(0).aggregateType()
                : records.get(0).aggregateType();
        return new AggregateHistory(type, id, StoredEventView.of(records, this.serializer, this.mapper), more);
    }

    /** Where the page finds the {@code eventsource} Actuator endpoint, and whether it may offer operations. */
    @GetMapping("/browser")
    EventBrowserSettings.Answer browser(HttpServletRequest request) {
        return this.settings.answer(request.getContextPath());
    }

    /**
     * The last records before a position. The store reads forwards only, so this reads the window of positions just
     * below the bound and widens it while it holds fewer records than asked (positions can have gaps: a rolled-back
     * append leaves one).
     */
    private List<Record> lastBefore(long bound, int size) {
        long window = size;
        while (true) {
            long from = Math.max(0, bound - 1 - window);
            Deque<Record> last = new ArrayDeque<>(size);
            long found = 0;
            long cursor = from;
            while (cursor < bound - 1) {
                int ask = (int) Math.min(bound - 1 - cursor, MAX_LIMIT);
                List<Record> page = this.store.readAll(cursor, ask);
                boolean past = false;
                for (Record record : page) {
                    if (record.position() >= bound) {
                        past = true;
                        break;
                    }
                    found++;
                    if (last.size() == size) {
                        last.removeFirst();
                    }
                    last.addLast(record);
                }
                if (past || page.size() < ask) {
                    break;
                }
                cursor = page.get(page.size() - 1).position();
            }
            if (found >= size || from == 0) {
                return List.copyOf(last);
            }
            window = Math.multiplyExact(window, 4);
        }
    }

    private static int limit(String text, int defaultLimit) {
        if (text == null) {
            return defaultLimit;
        }
        long limit = number("limit", text, "a page size, a whole number from 1 to " + MAX_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("Query parameter 'limit' must be from 1 to " + MAX_LIMIT + ", got " + limit
                    + "; send a smaller page size and page on with 'after'");
        }
        return (int) limit;
    }

    private static long position(String name, String text, long min) {
        long position = number(name, text, "a position in the stream, a whole number from " + min);
        if (position < min) {
            throw new InvalidQueryException("Query parameter '" + name + "' must be at least " + min + ", got "
                    + position);
        }
        return position;
    }

    private static long number(String name, String text, String what) {
        try {
            return Long.parseLong(text.strip());
        }
        catch (NumberFormatException ex) {
            String shown = (text.length() > 40) ? text.substring(0, 40) + "..." : text;
            throw new InvalidQueryException("Query parameter '" + name + "' must be " + what + ", got '"
                    + shown.replaceAll("\\p{Cntrl}", "?") + "'");
        }
    }

    /**
     * A page of the global stream.
     *
     * @param events the events, in position order
     * @param head the position of the newest event in the store (0 when it is empty)
     * @param older whether events precede this page (ask with {@code before} = the first position shown)
     * @param newer whether events follow this page (ask with {@code after} = the last position shown)
     */
    record StreamPage(List<StoredEventView> events, long head, boolean older, boolean newer) {
    }

    /**
     * A page of an aggregate's history.
     *
     * @param aggregateType the aggregate's type
     * @param aggregateId its id
     * @param events the events, in version order
     * @param more whether later versions follow (ask with {@code after} = the last version shown)
     */
    record AggregateHistory(String aggregateType, String aggregateId, List<StoredEventView> events, boolean more) {
    }

    /** A query parameter the API cannot use; answered with 400 and what to send instead. */
    static class InvalidQueryException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        InvalidQueryException(String message) {
            super(message);
        }
    }
}
