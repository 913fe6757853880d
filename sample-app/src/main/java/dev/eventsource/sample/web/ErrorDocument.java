package dev.eventsource.sample.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page, in place of Boot's {@code BasicErrorController}: what the container rejects before Spring MVC
 * (a malformed path, a body over the limit, an exception in a filter) is answered in
 * {@code application/problem+json} like every other error, whatever the client accepts. Its details are written
 * here rather than taken from the container, so no exception message, stack trace or SQL reaches the client. A
 * request for {@code /error} itself is answered as an unknown path.
 */
@RestController
class ErrorDocument implements ErrorController {

    private final BodyLimit bodyLimit;

    ErrorDocument(BodyLimit bodyLimit) {
        this.bodyLimit = bodyLimit;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            return problem(HttpStatus.NOT_FOUND, "No endpoint " + request.getMethod() + " " + request.getRequestURI()
                    + "; the service answers under /people and /accounts");
        }
        HttpStatus known = HttpStatus.resolve(status);
        HttpStatus answer = (known != null && known.isError()) ? known : HttpStatus.INTERNAL_SERVER_ERROR;
        return problem(answer, detail(answer, request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                this.bodyLimit.maxBytes()));
    }

    /**
     * The detail of an error the container reports.
     *
     * @param status the status answered
     * @param uri the path requested, or null when unknown
     * @param maxBodyBytes the body size limit, for a 413
     * @return what went wrong and what to send instead, without anything of the container's own message
     */
    static String detail(HttpStatus status, Object uri, long maxBodyBytes) {
        return switch (status) {
            case BAD_REQUEST -> "The request line, path or headers are malformed (such as an encoded slash %2F, an"
                    + " encoded %00 or a character that must be percent-encoded) or too large (over 8 KB); send a plain"
                    + " path such as /people/{id} and short ASCII headers";
            case NOT_FOUND -> "No endpoint " + ((uri != null) ? uri : "at this path")
                    + "; the service answers under /people and /accounts";
            case METHOD_NOT_ALLOWED -> "The request's method is not allowed on this path; use GET, POST or PUT as"
                    + " the README lists";
            case CONTENT_TOO_LARGE -> "Request body is larger than " + maxBodyBytes
                    + " bytes (sample.web.max-body-size); send a smaller body";
            case URI_TOO_LONG -> "The request's path or query is too long; send a shorter URI";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "The request headers are too large; send fewer or shorter headers";
            default -> (status.is5xxServerError())
                    ? "The service failed to handle the request; it is not known whether it took effect. Retry it with"
                            + " the same Idempotency-Key, or read the resource to check"
                    : status.getReasonPhrase();
        };
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status)
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
