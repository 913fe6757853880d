/**
 * The REST interface: controllers, request and response bodies, {@code If-Match} versions, and errors as
 * {@code application/problem+json}.
 */
package dev.eventsource.sample.web;
