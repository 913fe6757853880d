package dev.eventsource;

/**
 * A command that carries nothing but the aggregate id, for commands whose meaning is in their type alone, or to
 * address an aggregate in tests; the seed's embeddable {@code CommandModel}.
 *
 * @param aggregateId the id of the addressed aggregate
 */
public record CommandModel(String aggregateId) implements Command {
}
