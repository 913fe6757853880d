package dev.eventsource.test.autoconfigure.shop;

import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.test.AggregateFixture;
import dev.eventsource.test.autoconfigure.EventSourcingTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureJdbc;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The slice composed with Boot's {@code @AutoConfigureJdbc}: the JDBC store on Boot's embedded DataSource. */
@EventSourcingTest(store = StoreType.JDBC)
@AutoConfigureJdbc
class EventSourcingTestWithAutoConfiguredJdbcTests {

    @Autowired
    private Repository<Cart> carts;

    @Autowired
    private Store store;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private AggregateFixture<Cart> fixture;

    @Autowired
    private ApplicationContext context;

    @Test
    void appendsToBootsDataSourceWithTheSchemaCreatedAtStartUp() {
        carts.apply(new Cart.AddItem("b1", "apple"));

        assertThat(store).isInstanceOf(JdbcStore.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + ((JdbcStore) store).tableName(), Integer.class))
                .isEqualTo(1);
        assertThat(context.getBeanNamesForType(DataSource.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(CartController.class)).isEmpty();
        assertThat(fixture).isNotNull();
    }
}
