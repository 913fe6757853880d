package dev.eventsource.benchmarks.contender;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.eventsource.Event;
import dev.eventsource.benchmarks.model.AxonAccount;
import dev.eventsource.benchmarks.model.Deposit;
import dev.eventsource.benchmarks.model.Events;
import dev.eventsource.benchmarks.model.OpenAccount;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.axonframework.serialization.json.JacksonSerializer;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Axon Framework 4 as its reference guide configures it without Spring and without Axon Server: the
 * {@code JdbcEventStorageEngine} on the same PostgreSQL (its own {@code domain_event_entry} schema), an embedded
 * event store, the event-sourcing repository of the same aggregate, its Jackson serializer, the simple command
 * bus. Connections come from the same pool, one per unit of work, committed when the unit of work commits.
 */
final class AxonContender implements Contender {

    private final Configuration configuration;
    private final CommandGateway commands;
    private final Repository<AxonAccount> accounts;

    AxonContender(DataSource dataSource) {
        JacksonSerializer serializer = JacksonSerializer.builder()
                .objectMapper(new ObjectMapper().registerModule(new JavaTimeModule()))
                .build();
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(dataSource::getConnection))
                .transactionManager(NoTransactionManager.INSTANCE)
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .build();
        engine.createSchema(PostgresEventTableFactory.INSTANCE);
        configuration = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEmbeddedEventStore(c -> engine)
                .configureAggregate(AxonAccount.class)
                .buildConfiguration();
        configuration.start();
        commands = configuration.commandGateway();
        accounts = configuration.repository(AxonAccount.class);
    }

    @Override
    public void open(String aggregateId, int deposits) {
        commands.sendAndWait(new OpenAccount(aggregateId, "owner-" + aggregateId, deposits));
    }

    @Override
    public void deposit(String aggregateId, long amount) {
        commands.sendAndWait(new Deposit(aggregateId, amount));
    }

    @Override
    public long balance(String aggregateId) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            long balance = accounts.load(aggregateId).invoke(AxonAccount::balance);
            unitOfWork.commit();
            return balance;
        } catch (RuntimeException e) {
            unitOfWork.rollback(e);
            throw e;
        }
    }

    @Override
    public void seed(String aggregateId, int events) {
        List<DomainEventMessage<?>> messages = new ArrayList<>(events);
        long sequence = 0;
        for (Event event : Events.history(aggregateId, events)) {
            messages.add(new GenericDomainEventMessage<>(AxonAccount.class.getSimpleName(), aggregateId, sequence++,
                    event));
        }
        DefaultUnitOfWork.startAndGet(null).execute(() -> configuration.eventStore().publish(messages));
    }

    @Override
    public void close() {
        configuration.shutdown();
    }
}
