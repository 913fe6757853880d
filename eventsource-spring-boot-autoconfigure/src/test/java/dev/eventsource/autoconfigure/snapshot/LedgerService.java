package dev.eventsource.autoconfigure.snapshot;

import dev.eventsource.Command;
import dev.eventsource.Repository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/** Applies ledger commands inside {@code @Transactional} methods. */
@Service
public class LedgerService {

    private final Repository<Ledger> ledgers;

    public LedgerService(Repository<Ledger> ledgers) {
        this.ledgers = ledgers;
    }

    /** Applies one command and commits; returns the ledger's version. */
    @Transactional
    public long apply(Command command) {
        return this.ledgers.apply(command);
    }

    /** Applies the commands in one transaction: all commit, or none when one fails. */
    @Transactional
    public long applyAll(List<Command> commands) {
        long version = 0;
        for (Command command : commands) {
            version = this.ledgers.apply(command);
        }
        return version;
    }

    /** Applies a command, then runs {@code inside}, still inside the transaction. */
    @Transactional
    public long applyThen(Command command, Runnable inside) {
        long version = this.ledgers.apply(command);
        inside.run();
        return version;
    }

    /** Applies a command, then fails, so that the transaction rolls back. */
    @Transactional
    public void applyAndFail(Command command) {
        this.ledgers.apply(command);
        throw new IllegalStateException("rolled back");
    }
}
