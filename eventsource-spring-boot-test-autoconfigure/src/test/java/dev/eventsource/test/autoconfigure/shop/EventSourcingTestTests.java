package dev.eventsource.test.autoconfigure.shop;

import dev.eventsource.Repository;
import dev.eventsource.Store;
import dev.eventsource.store.memory.MemoryStore;
import dev.eventsource.test.AggregateFixture;
import dev.eventsource.test.autoconfigure.EventSourcingTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The slice on the shop application: event sourcing started, everything else not. */
@EventSourcingTest
class EventSourcingTestTests {

    @Autowired
    private ApplicationContext context;

    @Autowired
    private Repository<Cart> carts;

    @Autowired
    private CartSizes sizes;

    @Autowired
    private AggregateFixture<Cart> fixture;

    @Autowired
    private Store store;

    @Test
    void repositoryAndProjectionWorkOnTheMemoryStore() {
        carts.apply(new Cart.AddItem("c1", "apple"));
        carts.apply(new Cart.AddItem("c1", "pear"));

        assertThat(carts.load("c1").items()).containsExactly("apple", "pear");
        await().atMost(Duration.ofSeconds(10)).until(() -> sizes.size("c1") == 2);
        assertThat(store).isInstanceOf(MemoryStore.class);
    }

    @Test
    void startsNeitherTheControllerNorUnrelatedBeansNorADataSource() {
        assertThat(context.getBeanNamesForType(CartController.class)).isEmpty();
        assertThat(context.getBeanNamesForType(MailService.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(context.containsBean("org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration"))
                .isFalse();
    }

    @Test
    void injectsAGivenWhenThenFixturePerAggregate() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        fixture.given(new Cart.ItemAdded("c2", 1, at, "a"), new Cart.ItemAdded("c2", 2, at, "b"))
                .when(new Cart.AddItem("c2", "c"))
                .then(new Cart.ItemAdded("c2", 3, at, "c"))
                .thenState(cart -> assertThat(cart.items()).containsExactly("a", "b", "c"));
    }

    @Test
    void eachInjectionGetsAFreshFixture(@Autowired AggregateFixture<Cart> other) {
        assertThat(other).isNotSameAs(fixture);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        other.given(new Cart.ItemAdded("c3", 1, at, "a"), new Cart.ItemAdded("c3", 2, at, "b"),
                        new Cart.ItemAdded("c3", 3, at, "c"))
                .when(new Cart.AddItem("c3", "d"))
                .thenError(IllegalStateException.class, "at most 3 items");
    }
}
