package dev.eventsource.benchmarks.contender;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.benchmarks.model.CreatingAccount;
import dev.eventsource.benchmarks.model.Deposit;
import dev.eventsource.benchmarks.model.Events;
import dev.eventsource.benchmarks.model.OpenAccount;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.jdbc.JdbcStore;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * This library as {@link OursContender} configures it, on the aggregate whose opening command declares
 * {@code @CommandHandler(creates = true)}: creating commands append without a load (issue 15).
 */
final class OursCreatesContender implements Contender {

    private final JdbcStore store;
    private final Repository<CreatingAccount> accounts;

    OursCreatesContender(DataSource dataSource) {
        store = JdbcStore.builder(dataSource).build();
        store.createSchema();
        accounts = Repository.builder(CreatingAccount.class).store(store).serializer(JacksonSerializer.json())
                .build();
    }

    @Override
    public void open(String aggregateId, int deposits) {
        accounts.apply(new OpenAccount(aggregateId, "owner-" + aggregateId, deposits));
    }

    @Override
    public void deposit(String aggregateId, long amount) {
        accounts.apply(new Deposit(aggregateId, amount));
    }

    @Override
    public long balance(String aggregateId) {
        return accounts.load(aggregateId).balance();
    }

    @Override
    public void seed(String aggregateId, int events) {
        List<Record> records = new ArrayList<>(events);
        for (Event event : Events.history(aggregateId, events)) {
            records.add(accounts.serializer().marshal(event).withAggregateType(accounts.aggregateTypeName()));
        }
        store.save(aggregateId, records);
    }

    @Override
    public void close() {
    }
}
