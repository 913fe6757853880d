package dev.eventsource.sample.account;

import java.math.BigDecimal;

/** Thrown when a withdrawal would take an account's balance below zero; answered with 422, nothing stored. */
public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param accountId the account
     * @param balance its balance
     * @param amount the refused withdrawal
     */
    public InsufficientFundsException(String accountId, BigDecimal balance, BigDecimal amount) {
        super("Cannot withdraw " + amount.toPlainString() + " from account '" + accountId + "': its balance is "
                + balance.toPlainString() + " and overdrafts are not allowed");
    }
}
