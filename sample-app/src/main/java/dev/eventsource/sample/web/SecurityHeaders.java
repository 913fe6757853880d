package dev.eventsource.sample.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Adds the usual protective headers to every response, errors included: no content sniffing, no framing, no
 * caching of answers that carry personal data, no referrer, and a content security policy that lets a page load
 * scripts, styles, images and data from this server only: the event browser ({@code static/index.html}) has no
 * inline script or style, so an event payload that holds markup can never run as code there.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders extends OncePerRequestFilter {

    /** Everything from this server only; no plugins, no base URL changes, no framing, forms post here only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'; form-action 'self'";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        chain.doFilter(request, response);
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
