package dev.eventsource.sample.web;

import dev.eventsource.sample.account.Account;

import java.math.BigDecimal;

/**
 * An account as the API shows it.
 *
 * @param id the account's id
 * @param owner who owns it
 * @param balance its balance, with two decimals
 * @param version the version of the account's history this state is at
 */
public record AccountView(String id, String owner, BigDecimal balance, long version) {

    static AccountView of(Account account) {
        return new AccountView(account.id(), account.owner(), account.balance(), account.version());
    }
}
