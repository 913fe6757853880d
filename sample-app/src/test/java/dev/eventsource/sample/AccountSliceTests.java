package dev.eventsource.sample;

import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.sample.account.Account;
import dev.eventsource.sample.account.AccountService;
import dev.eventsource.sample.account.InsufficientFundsException;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.test.AggregateFixture;
import dev.eventsource.test.PastEvents;
import dev.eventsource.test.autoconfigure.EventSourcingTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.FilterType;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's accounts under the {@link EventSourcingTest} slice: the repository on the memory store (although
 * application.yml configures an H2 database), the upcasters of old events, and the given/when/then fixture; no web
 * layer, no services, no DataSource. The people projection keeps its read model in a JDBC table, so this test of
 * accounts leaves it out.
 */
@EventSourcingTest(excludeFilters = @Filter(type = FilterType.REGEX,
        pattern = "dev\\.eventsource\\.sample\\.person\\..*"))
class AccountSliceTests {

    @Autowired
    private Repository<Account> accounts;

    @Autowired
    private AggregateFixture<Account> fixture;

    @Autowired
    private ApplicationContext context;

    @Test
    void opensAndDepositsThroughTheRepositoryOnTheMemoryStore() {
        accounts.apply(new Account.OpenAccount("acc-1", "Ada", null));
        accounts.apply(new Account.Deposit("acc-1", new BigDecimal("12.50"), null));

        Account account = accounts.load("acc-1");
        assertThat(account.owner()).isEqualTo("Ada");
        assertThat(account.balance()).isEqualByComparingTo("12.50");
        assertThat(context.getBean(Store.class)).isInstanceOf(MemoryStore.class);
    }

    @Test
    void readsMoneyEventsOfTheReleaseBeforeCurrenciesThroughTheApplicationsUpcasters() {
        PastEvents.into(accounts).append("acc-old", PastAccountEventsTests.BEFORE_CURRENCIES);

        assertThat(accounts.load("acc-old").balance()).isEqualByComparingTo("70.25");
    }

    @Test
    void refusesAWithdrawalBeyondTheBalance() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        fixture.given(new Account.AccountOpened("acc-2", 1, at, "Ada"),
                        new Account.MoneyDeposited("acc-2", 2, at, new Account.Money(new BigDecimal("5.00"), "EUR")))
                .when(new Account.Withdraw("acc-2", new BigDecimal("5.01"), null))
                .thenError(InsufficientFundsException.class);
    }

    @Test
    void startsNoWebLayerServiceOrDataSource() {
        assertThat(context.getBeansWithAnnotation(RestController.class)).isEmpty();
        assertThat(context.getBeanNamesForType(AccountService.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
    }
}
