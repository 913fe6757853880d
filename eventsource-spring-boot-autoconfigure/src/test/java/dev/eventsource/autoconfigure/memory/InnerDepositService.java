package dev.eventsource.autoconfigure.memory;

import dev.eventsource.Repository;
import dev.eventsource.autoconfigure.app.Account;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;

/** Deposits in a transaction of its own, suspending the caller's. */
@Service
public class InnerDepositService {

    private final Repository<Account> accounts;

    public InnerDepositService(Repository<Account> accounts) {
        this.accounts = accounts;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public long deposit(String id) {
        return accounts.apply(new Account.Deposit(id, BigDecimal.TEN));
    }
}
