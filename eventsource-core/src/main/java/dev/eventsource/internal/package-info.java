/**
 * Implementation details shared by the library's packages; not API, and may change in any release.
 */
package dev.eventsource.internal;
