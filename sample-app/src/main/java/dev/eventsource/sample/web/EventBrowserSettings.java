package dev.eventsource.sample.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * What the event browser page needs to know about the {@code eventsource} Actuator endpoint: its path on this
 * server, and whether its operations (restart, skip, reset, pause, resume) are allowed. Both come from the
 * application's own settings ({@code management.endpoints.web.exposure.include},
 * {@code management.endpoint.eventsource.access}, {@code management.endpoints.access.*}), resolved by Spring Boot
 * as it resolves them for the endpoint itself, so the page never offers a button the endpoint would refuse.
 */
@Component
class EventBrowserSettings {

    /** The endpoint's id. */
    static final EndpointId ENDPOINT = EndpointId.of("eventsource");

    /** The endpoint's access when the application says nothing ({@code defaultAccess} of the endpoint). */
    static final Access DEFAULT_ACCESS = Access.READ_ONLY;

    private final ObjectProvider<PathMappedEndpoints> endpoints;

    private final ObjectProvider<EndpointAccessResolver> access;

    private final Environment environment;

    EventBrowserSettings(ObjectProvider<PathMappedEndpoints> endpoints, ObjectProvider<EndpointAccessResolver> access,
            Environment environment) {
        this.endpoints = endpoints;
        this.access = access;
        this.environment = environment;
    }

    /**
     * Resolves the settings for a request.
     *
     * @param contextPath the servlet context path the endpoint's path is under (empty for the root)
     * @return the endpoint's path, whether it is writable, and why not
     */
    Answer answer(String contextPath) {
        if (ManagementPortType.get(this.environment) == ManagementPortType.DIFFERENT) {
            return new Answer(null, false, "The Actuator endpoints are served on another port"
                    + " (management.server.port), which this page cannot read; open the endpoint there, or serve the"
                    + " endpoints on the application's port to see the subscriptions here");
        }
        PathMappedEndpoints mapped = this.endpoints.getIfAvailable();
        String path = (mapped != null) ? mapped.getPath(ENDPOINT) : null;
        if (path == null) {
            return new Answer(null, false, "The eventsource Actuator endpoint is not exposed over HTTP; add it to"
                    + " management.endpoints.web.exposure.include (for example health,eventsource) to see the"
                    + " subscriptions here");
        }
        EndpointAccessResolver resolver = this.access.getIfAvailable();
        Access granted = (resolver != null) ? resolver.accessFor(ENDPOINT, DEFAULT_ACCESS) : DEFAULT_ACCESS;
        if (granted == Access.UNRESTRICTED) {
            return new Answer(contextPath + path, true, null);
        }
        return new Answer(contextPath + path, false, "Read-only: operations on subscriptions need"
                + " management.endpoint.eventsource.access=unrestricted (and an authenticated, authorised caller in a"
                + " real deployment)");
    }

    /**
     * The answer of {@code GET /api/browser}.
     *
     * @param endpoint the path of the {@code eventsource} endpoint on this server, or null when the page cannot
     *     read it
     * @param writable whether the endpoint's operations are allowed, so that the page shows their buttons
     * @param note why the endpoint is missing or read-only, for the page to show; null when it is writable
     */
    record Answer(String endpoint, boolean writable, String note) {
    }
}
