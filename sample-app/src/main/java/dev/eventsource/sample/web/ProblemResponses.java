package dev.eventsource.sample.web;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.UnstorableEventException;
import dev.eventsource.sample.idempotency.IdempotencyKey;
import dev.eventsource.sample.StaleVersionException;
import dev.eventsource.sample.UnknownAggregateException;
import dev.eventsource.sample.account.InsufficientFundsException;
import dev.eventsource.sample.session.CurrentUser;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Answers every refused request with {@code application/problem+json} whose {@code detail} says what is wrong and,
 * for bad input, names the field.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    /** Seconds a client is asked to wait before retrying while the database is unreachable. */
    static final int RETRY_AFTER_SECONDS = 2;

    private static final Log log = LogFactory.getLog(ProblemResponses.class);

    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate Object property \"(.*)\"");

    @ExceptionHandler({ TransientDataAccessException.class, DataAccessResourceFailureException.class })
    ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException exception) {
        log.warn("Database unavailable, answered 503: " + exception.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
            .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "The database is unreachable;"
                    + " the request was not completed. Retry after " + RETRY_AFTER_SECONDS
                    + " seconds, with the same Idempotency-Key for a write"));
    }

    @ExceptionHandler(UnstorableEventException.class)
    ProblemDetail unstorable(UnstorableEventException exception) {
        String field = exception.fieldPath();
        String detail = (field != null)
                ? "Field '" + field.replaceFirst("^\\$\\.?", "") + "' holds what cannot be stored (a NUL character, an"
                        + " unpaired surrogate or too much text); send plain text"
                : "The request holds what cannot be stored (a NUL character, an unpaired surrogate or too much text),"
                        + " for example in header " + CurrentUser.HEADER + "; send plain text";
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
    }

    @ExceptionHandler(BodyLimit.BodyTooLargeException.class)
    ProblemDetail bodyTooLarge(BodyLimit.BodyTooLargeException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, exception.getMessage()
                + " (sample.web.max-body-size); send a smaller body");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception exception) {
        // Logged in full for the operator; the client gets no stack trace, SQL or exception message.
        log.error("Request failed unexpectedly", exception);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The service failed to handle the"
                + " request; it is not known whether it took effect. Retry it with the same Idempotency-Key, or read"
                + " the resource to check");
    }

    @ExceptionHandler(UnknownAggregateException.class)
    ProblemDetail notFound(UnknownAggregateException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
    }

    @ExceptionHandler(StaleVersionException.class)
    ProblemDetail staleVersion(StaleVersionException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, exception.getMessage());
        problem.setProperty("currentVersion", exception.actual());
        return problem;
    }

    @ExceptionHandler(ConcurrencyConflictException.class)
    ProblemDetail tooManyConflicts(ConcurrencyConflictException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Too many concurrent changes to '"
                + exception.aggregateId() + "' to apply this one; nothing was changed, retry the request");
    }

    @ExceptionHandler(InsufficientFundsException.class)
    ProblemDetail insufficientFunds(InsufficientFundsException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, exception.getMessage());
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail notFound(AggregateNotFoundException exception) {
        // An id of the other kind: the same answer as an unknown id, without saying what the id belongs to.
        String kind = (exception.aggregateType() != null) ? exception.aggregateType().toLowerCase(Locale.ROOT)
                : "aggregate";
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No " + kind + " with id '" + exception.aggregateId() + "'");
    }

    @ExceptionHandler(IdempotencyKey.IdempotencyKeyReusedException.class)
    ProblemDetail keyReused(IdempotencyKey.IdempotencyKeyReusedException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, exception.getMessage());
    }

    @ExceptionHandler({ IfMatch.InvalidIfMatchException.class, CurrentUser.InvalidUserException.class,
            IdempotencyKey.InvalidIdempotencyKeyException.class, EventBrowserController.InvalidQueryException.class })
    ProblemDetail badHeader(RuntimeException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, exception.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Sorted so that the same bad body always gets the same answer.
        List<FieldError> errors = exception.getBindingResult().getFieldErrors().stream()
            .sorted(Comparator.comparing(FieldError::getField).thenComparing(FieldError::getDefaultMessage,
                    Comparator.nullsFirst(Comparator.naturalOrder())))
            .toList();
        String detail = errors.stream()
            .map((error) -> "'" + error.getField() + "' " + error.getDefaultMessage())
            .collect(Collectors.joining("; ", "Invalid request: ", ""));
        Map<String, String> fields = new LinkedHashMap<>();
        errors.forEach((error) -> fields.putIfAbsent(error.getField(), error.getDefaultMessage()));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setProperty("fields", fields);
        return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // The JSON parser wraps what the capped body stream throws when a chunked body passes the limit.
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyLimit.BodyTooLargeException tooLarge) {
                return handleExceptionInternal(exception, bodyTooLarge(tooLarge), headers, HttpStatus.CONTENT_TOO_LARGE,
                        request);
            }
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(exception));
        return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "Header Accept asks for a representation"
                + " this service does not produce; send Accept: application/json (errors come as"
                + " application/problem+json)");
        return handleExceptionInternal(exception, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "Header Content-Type '"
                + exception.getContentType() + "' is not supported; send a JSON body with Content-Type:"
                + " application/json");
        return handleExceptionInternal(exception, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
            HttpRequestMethodNotSupportedException exception, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "Method " + exception.getMethod()
                + " is not supported on this path; use " + String.join(" or ",
                        (exception.getSupportedMethods() != null) ? List.of(exception.getSupportedMethods()) : List.of()));
        return handleExceptionInternal(exception, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "No endpoint " + exception.getHttpMethod()
                + " /" + exception.getResourcePath() + "; the service answers under /people and /accounts");
        return handleExceptionInternal(exception, problem, headers, status, request);
    }

    private static String unreadable(HttpMessageNotReadableException exception) {
        Throwable cause = exception.getCause();

        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + path(unknown) + "'; this request accepts "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        }
        if (cause instanceof StreamReadException malformed) {
            Matcher duplicate = DUPLICATE_KEY.matcher(String.valueOf(malformed.getOriginalMessage()));
            if (duplicate.find()) {
                return "Field '" + duplicate.group(1) + "' appears more than once; send each field once";
            }
            String where = (malformed.getLocation() != null) ? " (line " + malformed.getLocation().getLineNr()
                    + ", column " + malformed.getLocation().getColumnNr() + ")" : "";
            String message = plain(malformed.getOriginalMessage());
            String hint = message.startsWith("Non-standard token") ? "; a JSON number is written in digits, such as 10.50"
                    : "; send a JSON object such as the README shows";
            return "Request body is not valid JSON" + where + ": " + message + hint;
        }
        if (cause instanceof JacksonException mismatch) {
            String field = path(mismatch);
            if (field.isEmpty()) {
                return "Request body must be a JSON object with the documented fields";
            }
            return "Field '" + field + "' must be " + expected(mismatch);
        }
        return "Request body is missing or unreadable; send a JSON object with Content-Type: application/json";
    }

    private static String expected(JacksonException mismatch) {
        Class<?> target = mismatch instanceof MismatchedInputException input ? input.getTargetType() : null;
        if (target != null && Number.class.isAssignableFrom(target)) {
            return "a number, such as 10.50, without quotes";
        }
        if (target == String.class) {
            return "a string, in quotes";
        }
        return "a value of the documented type";
    }

    /**
     * Jackson's words for a syntax error without its advice on parser features, which a client cannot switch on
     * ("enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS"), nor the source descriptions it appends.
     */
    static String plain(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String text = message.lines().findFirst().orElse("");
        text = text.replaceAll("\\s*\\(start marker at .*$", "");
        text = text.replaceAll(",?\\s*from `[^`]*`", "");
        text = text.replaceAll("(?i)[:;,]?\\s*\\(?\\b(enable|disable|use)\\b[^:;]*Feature.*$", "");
        text = text.replaceAll("`?[A-Za-z]+(Read|Write)?Feature\\.[A-Z_]+`?", "a parser option");
        return text.strip();
    }

    /** The field's path in the body, such as {@code amount}; empty when the problem is the body as a whole. */
    private static String path(JacksonException exception) {
        return exception.getPath().stream()
            .map((reference) -> reference.getPropertyName() != null ? reference.getPropertyName()
                    : "[" + reference.getIndex() + "]")
            .collect(Collectors.joining("."));
    }
}
