package dev.eventsource.sample.account;

import dev.eventsource.Command;
import dev.eventsource.Repository;
import dev.eventsource.StoredEvent;
import dev.eventsource.sample.UnknownAggregateException;
import dev.eventsource.sample.idempotency.IdempotencyKey;
import dev.eventsource.sample.idgen.TimeOrderedIds;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.util.List;

/** Opens accounts and moves money through their repository. */
@Service
public class AccountService {

    private final Repository<Account> accounts;

    private final TimeOrderedIds ids;

    /**
     * Creates the service.
     *
     * @param accounts the repository the starter registered for {@link Account}
     * @param ids where new ids come from
     */
    public AccountService(Repository<Account> accounts, TimeOrderedIds ids) {
        this.accounts = accounts;
        this.ids = ids;
    }

    /**
     * Opens an account with a new id and a zero balance.
     *
     * @param owner who owns it
     * @param key the request's idempotency key, or {@code null}
     * @return the new account (for a retried key, the account the first request opened)
     */
    public Account open(String owner, IdempotencyKey key) {
        String id = (key != null) ? key.aggregateId(Account.KIND) : this.ids.next();
        Account.OpenAccount command = new Account.OpenAccount(id, owner, IdempotencyKey.commandId(key));
        return IdempotencyKey.answer(this.accounts.execute(command), key, this.accounts);
    }

    /**
     * Deposits money.
     *
     * @param id the account's id
     * @param amount a positive amount with at most two decimals
     * @param key the request's idempotency key, or {@code null}: a retried deposit or withdrawal with the same key
     *     is answered from the store and moves no money
     * @return the account after the deposit
     * @throws UnknownAggregateException when there is no such account
     */
    public Account deposit(String id, BigDecimal amount, IdempotencyKey key) {
        return execute(new Account.Deposit(id, amount, IdempotencyKey.commandId(key)), key);
    }

    /**
     * Withdraws money.
     *
     * @param id the account's id
     * @param amount a positive amount with at most two decimals
     * @param key the request's idempotency key, or {@code null}: a retried deposit or withdrawal with the same key
     *     is answered from the store and moves no money
     * @return the account after the withdrawal
     * @throws UnknownAggregateException when there is no such account
     * @throws InsufficientFundsException when the balance is lower than the amount
     */
    public Account withdraw(String id, BigDecimal amount, IdempotencyKey key) {
        return execute(new Account.Withdraw(id, amount, IdempotencyKey.commandId(key)), key);
    }

    /**
     * Returns an account as it is now.
     *
     * @param id the account's id
     * @return the account
     * @throws UnknownAggregateException when there is no such account
     */
    public Account get(String id) {
        return UnknownAggregateException.orUnknown(Account.KIND, id, () -> this.accounts.load(id));
    }

    /**
     * Applies a command and answers with the account right after it, as the repository returns it: a write that
     * committed is never answered from a second read that could fail.
     */
    private Account execute(Command command, IdempotencyKey key) {
        return UnknownAggregateException.orUnknown(Account.KIND, command.aggregateId(),
                () -> IdempotencyKey.answer(this.accounts.execute(command), key, this.accounts));
    }


    /**
     * Returns an account's history.
     *
     * @param id the account's id
     * @return its events with metadata, oldest first
     * @throws UnknownAggregateException when there is no such account
     */
    public List<StoredEvent> history(String id) {
        return UnknownAggregateException.orUnknown(Account.KIND, id, () -> this.accounts.history(id));
    }
}
