/** Who makes a change: the seed's {@code session}, here the optional {@code X-User} request header. */
package dev.eventsource.sample.session;
