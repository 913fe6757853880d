package dev.eventsource.test.autoconfigure.shop;

import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.autoconfigure.EventSourceProperties.StoreType;
import dev.eventsource.store.jdbc.JdbcStore;
import dev.eventsource.test.autoconfigure.EventSourcingTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

import javax.sql.DataSource;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The slice asked for the JDBC store: it runs on the DataSource the test provides. */
@EventSourcingTest(store = StoreType.JDBC)
@Import(EventSourcingTestWithDataSourceTests.TestDatabase.class)
class EventSourcingTestWithDataSourceTests {

    @TestConfiguration(proxyBeanMethods = false)
    static class TestDatabase {
        @Bean(destroyMethod = "shutdown")
        DataSource dataSource() {
            return new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2).generateUniqueName(true).build();
        }
    }

    @Autowired
    private Repository<Cart> carts;

    @Autowired
    private CartSizes sizes;

    @Autowired
    private Store store;

    @Autowired
    private DataSource dataSource;

    @Test
    void appendsToTheTestsDataSource() {
        carts.apply(new Cart.AddItem("j1", "apple"));

        assertThat(store).isInstanceOf(JdbcStore.class);
        String table = ((JdbcStore) store).tableName();
        assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table
                + " WHERE aggregate_id = 'j1'", Integer.class)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sizes.size("j1") == 1);
    }
}
