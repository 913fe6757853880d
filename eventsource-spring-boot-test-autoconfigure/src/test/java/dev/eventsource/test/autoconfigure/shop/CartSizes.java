package dev.eventsource.test.autoconfigure.shop;

import dev.eventsource.annotation.EventHandler;
import dev.eventsource.annotation.Projection;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A read model: the number of items in each cart, kept by a subscription. */
@Component
@Projection("cart-sizes")
public class CartSizes {

    private final Map<String, Integer> sizes = new ConcurrentHashMap<>();

    @EventHandler
    void on(Cart.ItemAdded event) {
        sizes.merge(event.aggregateId(), 1, Integer::sum);
    }

    public int size(String cart) {
        return sizes.getOrDefault(cart, 0);
    }
}
