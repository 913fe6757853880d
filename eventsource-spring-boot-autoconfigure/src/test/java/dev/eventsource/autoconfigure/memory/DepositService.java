package dev.eventsource.autoconfigure.memory;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.app.Account;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.math.BigDecimal;
import java.util.function.LongConsumer;

/** Deposits into accounts, one command per {@code @Transactional} method call. */
@Service
public class DepositService {

    private final Repository<Account> accounts;

    private final InnerDepositService inner;

    public DepositService(Repository<Account> accounts, InnerDepositService inner) {
        this.accounts = accounts;
        this.inner = inner;
    }

    /** Deposits and commits; returns the account's version. */
    @Transactional
    public long deposit(String id) {
        return accounts.apply(new Account.Deposit(id, BigDecimal.TEN));
    }

    /** Deposits, then runs {@code inside} with the new version, still inside the transaction. */
    @Transactional
    public long depositThen(String id, LongConsumer inside) {
        long version = accounts.apply(new Account.Deposit(id, BigDecimal.TEN));
        inside.accept(version);
        return version;
    }

    /** Deposits, then fails, so the transaction rolls back. */
    @Transactional
    public long depositAndFail(String id) {
        accounts.apply(new Account.Deposit(id, BigDecimal.TEN));
        throw new IllegalStateException("failing after the deposit into " + id);
    }

    /** Registers a synchronization whose afterCommit throws, and is called back before the store's, then deposits. */
    @Transactional
    public long depositAfterFailingSynchronization(String id) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public int getOrder() {
                return HIGHEST_PRECEDENCE;
            }

            @Override
            public void afterCommit() {
                throw new IllegalStateException("another synchronization failed after the commit");
            }
        });
        return accounts.apply(new Account.Deposit(id, BigDecimal.TEN));
    }

    /**
     * Deposits into {@code outer} in this transaction before or after a deposit into {@code innerId} in a
     * REQUIRES_NEW transaction, then fails if asked.
     */
    @Transactional
    public void depositAroundInner(String outer, String innerId, boolean outerFirst, boolean fail) {
        if (outerFirst) {
            accounts.apply(new Account.Deposit(outer, BigDecimal.TEN));
            inner.deposit(innerId);
        } else {
            inner.deposit(innerId);
            accounts.apply(new Account.Deposit(outer, BigDecimal.TEN));
        }
        if (fail) {
            throw new IllegalStateException("failing after the deposits");
        }
    }
}
