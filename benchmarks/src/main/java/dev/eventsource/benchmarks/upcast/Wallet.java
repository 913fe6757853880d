package dev.eventsource.benchmarks.upcast;

import dev.eventsource.AggregateRoot;
import dev.eventsource.annotation.EventHandler;

/** The aggregate the upcasting benchmarks rehydrate: only event handlers, since they only load. */
public class Wallet extends AggregateRoot {

    private String owner;
    private long balance;

    /** @return the balance, in cents */
    public long balance() {
        return balance;
    }

    /** @return the owner, or null before the wallet is opened */
    public String owner() {
        return owner;
    }

    @EventHandler
    void on(WalletOpened event) {
        owner = event.owner();
    }

    @EventHandler
    void on(Credited event) {
        balance += event.amount();
    }
}
