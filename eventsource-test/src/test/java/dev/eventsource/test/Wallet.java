package dev.eventsource.test;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;
import dev.eventsource.upcast.Upcaster;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An aggregate whose events changed over three releases, for testing {@link PastEvents}:
 *
 * <ul>
 *   <li>{@code Deposited} revision 1 held a bare {@code amount} (euros); revision 2 a {@code money} object with amount
 *       and currency ({@link #DEPOSITED_1_TO_2}, built from helpers); revision 3 adds the {@code channel} the
 *       deposit came through, which older releases kept only in the metadata ({@link #DEPOSITED_2_TO_3}, a
 *       transform).</li>
 *   <li>{@code Withdrawn} was stored as {@code MoneyTakenOut} before its class was renamed (an alias).</li>
 * </ul>
 */
final class Wallet extends AggregateRoot {

    static final Upcaster DEPOSITED_1_TO_2 = Upcaster.from("Deposited", 1)
            .moveField("amount", "money.amount")
            .addField("money.currency", "EUR");

    static final Upcaster DEPOSITED_2_TO_3 = Upcaster.from("Deposited", 2)
            .transform("channel from the metadata", (payload, stored) -> {
                if (!payload.has("channel")) {
                    payload.put("channel", stored.metadata().getOrDefault("channel", "branch"));
                }
                return payload;
            });

    record Money(BigDecimal amount, String currency) {
    }

    record WalletOpened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    @EventType(value = "Deposited", revision = 3)
    record Deposited(String aggregateId, long version, Instant at, Money money, String channel) implements Event {
    }

    @EventType(value = "Withdrawn", aliases = "MoneyTakenOut")
    record Withdrawn(String aggregateId, long version, Instant at, BigDecimal amount) implements Event {
    }

    record Deposit(String aggregateId, BigDecimal amount, String currency, String channel) implements Command {
    }

    private String owner;
    private BigDecimal balance = BigDecimal.ZERO;
    private final List<String> channels = new ArrayList<>();

    String owner() {
        return owner;
    }

    BigDecimal balance() {
        return balance;
    }

    List<String> channels() {
        return channels;
    }

    @CommandHandler
    Deposited handle(Deposit command) {
        return new Deposited(command.aggregateId(), nextVersion(), Instant.now(),
                new Money(command.amount(), command.currency()), command.channel());
    }

    @EventHandler
    void on(WalletOpened event) {
        this.owner = event.owner();
    }

    @EventHandler
    void on(Deposited event) {
        this.balance = this.balance.add(event.money().amount());
        this.channels.add(event.money().currency() + " via " + event.channel());
    }

    @EventHandler
    void on(Withdrawn event) {
        this.balance = this.balance.subtract(event.amount());
    }
}
