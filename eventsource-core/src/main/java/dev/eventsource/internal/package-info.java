/**
 * Implementation details shared by the library's packages; not API, and may change in any release.
 */
@NullMarked
package dev.eventsource.internal;

import org.jspecify.annotations.NullMarked;
