package dev.eventsource.sample.web;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes Tomcat answer what it rejects before any servlet runs (an encoded slash, an encoded NUL or backslash in the
 * path) in {@code application/problem+json} instead of its HTML error page: the host's error report valve, which
 * Spring Boot configures to hide the report, is replaced by {@link ProblemReportValve}. Errors that reach the
 * application's context go to {@link ErrorDocument} instead.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // Runs after Boot's own customizer (this one has the lowest precedence), which adds its valve first.
        factory.addContextCustomizers((context) -> {
            Host host = (Host) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemReportValve());
            if (host instanceof StandardHost standard) {
                // Otherwise the host adds its default HTML valve when it starts.
                standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    /** Writes the container's own error answers as problem details, with no server information or stack trace. */
    static class ProblemReportValve extends ErrorReportValve {

        ProblemReportValve() {
            setShowReport(false);
            setShowServerInfo(false);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            HttpStatus answer = (known != null && known.isError()) ? known : HttpStatus.INTERNAL_SERVER_ERROR;
            String detail = ErrorDocument.detail(answer, null, -1);
            try {
                // The detail is ASCII, so the writer's default charset does not matter, and the type stays bare.
                response.setContentType("application/problem+json");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write("{\"type\":\"about:blank\",\"title\":\"" + answer.getReasonPhrase() + "\",\"status\":"
                            + answer.value() + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"")
                            + "\"}");
                    response.finishResponse();
                }
            }
            catch (IOException | IllegalStateException ex) {
                // The connection is gone or the response already started: nothing more can be said.
            }
        }
    }
}
