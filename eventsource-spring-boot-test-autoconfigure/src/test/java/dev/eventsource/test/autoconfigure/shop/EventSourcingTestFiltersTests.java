package dev.eventsource.test.autoconfigure.shop;

import dev.eventsource.test.autoconfigure.EventSourcingTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.FilterType;

import static org.assertj.core.api.Assertions.assertThat;

/** The slice's filters can be widened and narrowed like Boot's own slices, and its properties set. */
@EventSourcingTest(includeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = MailService.class),
        excludeFilters = @Filter(type = FilterType.ASSIGNABLE_TYPE, classes = CartSizes.class),
        properties = "eventsource.subscriptions.cart-sizes.batch-size=7")
class EventSourcingTestFiltersTests {

    @Autowired
    private ApplicationContext context;

    @Test
    void includesAndExcludesWhatTheTestSays() {
        assertThat(context.getBeanNamesForType(MailService.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(CartSizes.class)).isEmpty();
        assertThat(context.getBeanNamesForType(CartController.class)).isEmpty();
        assertThat(context.getEnvironment().getProperty("eventsource.subscriptions.cart-sizes.batch-size"))
                .isEqualTo("7");
    }
}
