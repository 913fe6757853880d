/** The person aggregate of the seed's example: created, renamed, given a new email address. */
package dev.eventsource.sample.person;
