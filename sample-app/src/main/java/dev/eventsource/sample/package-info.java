/**
 * A Spring Boot web service on the eventsource starter: people and bank accounts, their histories over REST, and
 * the exceptions the two aggregates share.
 */
package dev.eventsource.sample;
