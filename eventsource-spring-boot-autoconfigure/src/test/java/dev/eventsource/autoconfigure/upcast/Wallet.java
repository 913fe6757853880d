package dev.eventsource.autoconfigure.upcast;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A test aggregate whose {@link Deposited} event changed shape twice and was once stored as "Credited":
 * revision 1 was {@code {amount, note}}, revision 2 moved the amount into {@code money} with a currency (EUR
 * before), revision 3 renamed {@code note} to {@code memo}. {@link WalletUpcasters} holds the two steps.
 */
public class Wallet extends AggregateRoot {

    private String owner = "";
    private BigDecimal balance = BigDecimal.ZERO;
    private final List<String> currencies = new ArrayList<>();
    private final List<String> memos = new ArrayList<>();

    public String owner() {
        return owner;
    }

    public BigDecimal balance() {
        return balance;
    }

    /** @return the currency of each deposit, in order */
    public List<String> currencies() {
        return currencies;
    }

    /** @return the memos of the deposits that have one, in order */
    public List<String> memos() {
        return memos;
    }

    @CommandHandler
    Event handle(Open command) {
        return new Opened(command.aggregateId(), nextVersion(), Instant.now(), command.owner());
    }

    @CommandHandler
    Event handle(Deposit command) {
        return new Deposited(command.aggregateId(), nextVersion(), Instant.now(), command.money(), command.memo());
    }

    @EventHandler
    void on(Opened event) {
        this.owner = event.owner();
    }

    @EventHandler
    void on(Deposited event) {
        this.balance = this.balance.add(event.money().amount());
        this.currencies.add(event.money().currency());
        if (event.memo() != null) {
            this.memos.add(event.memo());
        }
    }

    public record Open(String aggregateId, String owner) implements Command {
    }

    public record Deposit(String aggregateId, Money money, @Nullable String memo) implements Command {
    }

    public record Opened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    @EventType(value = "Deposited", revision = 3, aliases = "Credited")
    public record Deposited(String aggregateId, long version, Instant at, Money money, @Nullable String memo)
            implements Event {
    }

    public record Money(BigDecimal amount, String currency) {
    }
}
