package dev.eventsource.benchmarks.contender;

import dev.eventsource.Event;
import dev.eventsource.Record;
import dev.eventsource.Repository;
import dev.eventsource.benchmarks.model.Account;
import dev.eventsource.benchmarks.model.Deposit;
import dev.eventsource.benchmarks.model.Events;
import dev.eventsource.benchmarks.model.OpenAccount;
import dev.eventsource.serializer.jackson.JacksonSerializer;
import dev.eventsource.store.jdbc.JdbcStore;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/** This library as a user configures it: a {@link Repository} on a {@link JdbcStore} and the JSON serializer. */
final class OursContender implements Contender {

    private final JdbcStore store;
    private final Repository<Account> accounts;

    OursContender(DataSource dataSource) {
        store = JdbcStore.builder(dataSource).build();
        store.createSchema();
        accounts = Repository.builder(Account.class).store(store).serializer(JacksonSerializer.json()).build();
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
    public void openInTransaction(Connection connection, String aggregateId) {
        // As inside a Spring transaction: the store gets the caller's connection and joins its transaction.
        JdbcStore joined = JdbcStore.builder(boundTo(connection)).tableName(store.tableName()).build();
        Repository.builder(Account.class).store(joined).serializer(accounts.serializer()).build()
                .apply(new OpenAccount(aggregateId, "owner-" + aggregateId, 0));
    }

    /** A DataSource that always hands out the caller's connection, as Spring's transaction-aware proxy does. */
    private static DataSource boundTo(Connection connection) {
        ClassLoader loader = OursContender.class.getClassLoader();
        Connection unclosable = (Connection) Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(loader, new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    return switch (method.getName()) {
                        case "getConnection" -> unclosable;
                        case "toString" -> "the caller's connection";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException("DataSource." + method.getName());
                    };
                });
    }

    @Override
    public void close() {
    }
}
