package dev.eventsource.autoconfigure.web;

import dev.eventsource.Repository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.concurrent.atomic.AtomicReference;

/** Opens gates, plainly or in a transaction, and remembers what the repository threw to its caller. */
@Service
public class GateService {

    private final AtomicReference<RuntimeException> thrown = new AtomicReference<>();

    private final Repository<Gate> gates;

    public GateService(Repository<Gate> gates) {
        this.gates = gates;
    }

    public long open(String id) {
        try {
            return this.gates.apply(new Gate.Open(id));
        }
        catch (RuntimeException ex) {
            this.thrown.set(ex);
            throw ex;
        }
    }

    /** @return the last exception the repository threw to this service, or null */
    public RuntimeException thrown() {
        return this.thrown.get();
    }

    public void forget() {
        this.thrown.set(null);
    }

    @Transactional
    public long openInTransaction(String id) {
        return open(id);
    }
}
