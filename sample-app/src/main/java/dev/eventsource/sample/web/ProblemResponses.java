package dev.eventsource.sample.web;

import dev.eventsource.AggregateNotFoundException;
import dev.eventsource.ConcurrencyConflictException;
import dev.eventsource.sample.idempotency.IdempotencyKey;
import dev.eventsource.sample.StaleVersionException;
import dev.eventsource.sample.UnknownAggregateException;
import dev.eventsource.sample.account.InsufficientFundsException;
import dev.eventsource.sample.session.CurrentUser;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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
import java.util.stream.Collectors;

/**
 * Answers every refused request with {@code application/problem+json} whose {@code detail} says what is wrong and,
 * for bad input, names the field.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

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
            IdempotencyKey.InvalidIdempotencyKeyException.class })
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
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(exception));
        return handleExceptionInternal(exception, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static String unreadable(HttpMessageNotReadableException exception) {
        Throwable cause = exception.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + path(unknown) + "'; this request accepts "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        }
        if (cause instanceof StreamReadException malformed) {
            return "Request body is not valid JSON (line " + malformed.getLocation().getLineNr() + ", column "
                    + malformed.getLocation().getColumnNr() + "): " + malformed.getOriginalMessage();
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
            return "a number, such as 10.50";
        }
        if (target == String.class) {
            return "a string";
        }
        return "a value of the documented type";
    }

    /** The field's path in the body, such as {@code amount}; empty when the problem is the body as a whole. */
    private static String path(JacksonException exception) {
        return exception.getPath().stream()
            .map((reference) -> reference.getPropertyName() != null ? reference.getPropertyName()
                    : "[" + reference.getIndex() + "]")
            .collect(Collectors.joining("."));
    }
}
