/**
 * Idempotency keys of write requests: a retried request is answered from the store, once.
 */
package dev.eventsource.sample.idempotency;
