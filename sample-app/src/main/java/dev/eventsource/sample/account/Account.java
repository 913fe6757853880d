package dev.eventsource.sample.account;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.Event;
import dev.eventsource.annotation.CommandHandler;
import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.EventType;
import dev.eventsource.annotation.Snapshotting;
import dev.eventsource.sample.UnknownAggregateException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * A bank account with an owner and a balance in euros that never goes below zero.
 *
 * <p>Its money events changed shape once: until revision 2 they held a bare {@code amount}; since then a
 * {@link Money} with amount and currency. Events stored in revision 1 are read through the upcasters of
 * {@link AccountUpcasters}; their stored bytes are never rewritten.
 *
 * <p>An account's history grows with every deposit, so loads start from a snapshot taken every 50 events (the
 * default); opening an account appends without a load.
 */
@Snapshotting
public class Account extends AggregateRoot {

    static final String KIND = "account";

    /** The currency of every account; money events carry it since their revision 2. */
    static final String CURRENCY = "EUR";

    /** Cents: amounts are validated to have at most two decimals before they get here. */
    private static final int SCALE = 2;

    private String owner;

    private BigDecimal balance = BigDecimal.ZERO.setScale(SCALE);

    /** @return the account's owner */
    public String owner() {
        return this.owner;
    }

    /** @return the balance, with two decimals */
    public BigDecimal balance() {
        return this.balance;
    }

    @CommandHandler(creates = true)
    List<Event> handle(OpenAccount command) {
        if (version() > 0) {
            throw new IllegalStateException("Account '" + command.aggregateId() + "' is already open");
        }
        return List.of(new AccountOpened(command.aggregateId(), nextVersion(), Instant.now(), command.owner()));
    }

    @CommandHandler
    List<Event> handle(Deposit command) {
        requireOpen(command.aggregateId());
        BigDecimal amount = cents(command.amount());
        return List.of(new MoneyDeposited(command.aggregateId(), nextVersion(), Instant.now(),
                new Money(amount, CURRENCY)));
    }

    @CommandHandler
    List<Event> handle(Withdraw command) {
        requireOpen(command.aggregateId());
        BigDecimal amount = cents(command.amount());
        if (this.balance.compareTo(amount) < 0) {
            throw new InsufficientFundsException(command.aggregateId(), this.balance, amount);
        }
        return List.of(new MoneyWithdrawn(command.aggregateId(), nextVersion(), Instant.now(),
                new Money(amount, CURRENCY)));
    }

    private void requireOpen(String id) {
        if (version() == 0) {
            throw new UnknownAggregateException(KIND, id);
        }
    }

    /** Every stored amount has exactly two decimals, so histories read alike: 100.50, never 100.5. */
    private static BigDecimal cents(BigDecimal amount) {
        if (amount == null || amount.signum() <= 0 || Math.max(amount.stripTrailingZeros().scale(), 0) > SCALE) {
            throw new IllegalArgumentException("amount must be positive with at most " + SCALE
                    + " decimals, got " + amount);
        }
        return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    @EventHandler
    void on(AccountOpened event) {
        this.owner = event.owner();
    }

    @EventHandler
    void on(MoneyDeposited event) {
        this.balance = this.balance.add(euros(event.money(), event)).setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    @EventHandler
    void on(MoneyWithdrawn event) {
        this.balance = this.balance.subtract(euros(event.money(), event)).setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    /** A history with money in another currency would give a wrong balance: refuse to load it instead. */
    private static BigDecimal euros(Money money, Event event) {
        if (money == null || money.amount() == null || !CURRENCY.equals(money.currency())) {
            throw new IllegalStateException("Account '" + event.aggregateId() + "' version " + event.version()
                    + " holds " + money + "; accounts hold " + CURRENCY + " only");
        }
        return money.amount();
    }

    /**
     * Opens an account.
     *
     * @param aggregateId the new account's id
     * @param owner who owns it
     * @param commandId the request's idempotency key, or {@code null}
     */
    public record OpenAccount(String aggregateId, String owner, String commandId) implements Command {
    }

    /**
     * Puts money into an account.
     *
     * @param aggregateId the account's id
     * @param amount a positive amount with at most two decimals
     * @param commandId the request's idempotency key, or {@code null}
     */
    public record Deposit(String aggregateId, BigDecimal amount, String commandId) implements Command {
    }

    /**
     * Takes money out of an account; refused when the balance is too low.
     *
     * @param aggregateId the account's id
     * @param amount a positive amount with at most two decimals
     * @param commandId the request's idempotency key, or {@code null}
     */
    public record Withdraw(String aggregateId, BigDecimal amount, String commandId) implements Command {
    }

    /**
     * An account was opened.
     *
     * @param aggregateId the account's id
     * @param version 1
     * @param at when
     * @param owner who owns it
     */
    public record AccountOpened(String aggregateId, long version, Instant at, String owner) implements Event {
    }

    /**
     * An amount of money.
     *
     * @param amount how much, with two decimals
     * @param currency its ISO 4217 code, {@value #CURRENCY} in every account
     */
    public record Money(BigDecimal amount, String currency) {
    }

    /**
     * Money was deposited. Revision 1 held the amount alone ({@code {"amount": 100.50}}, in euros); revision 2
     * holds it with its currency ({@code {"money": {"amount": 100.50, "currency": "EUR"}}}).
     *
     * @param aggregateId the account's id
     * @param version the account's version after the deposit
     * @param at when
     * @param money how much
     */
    @EventType(value = "MoneyDeposited", revision = 2)
    public record MoneyDeposited(String aggregateId, long version, Instant at, Money money) implements Event {
    }

    /**
     * Money was withdrawn; changed as {@link MoneyDeposited} did, in revision 2.
     *
     * @param aggregateId the account's id
     * @param version the account's version after the withdrawal
     * @param at when
     * @param money how much
     */
    @EventType(value = "MoneyWithdrawn", revision = 2)
    public record MoneyWithdrawn(String aggregateId, long version, Instant at, Money money) implements Event {
    }
}
