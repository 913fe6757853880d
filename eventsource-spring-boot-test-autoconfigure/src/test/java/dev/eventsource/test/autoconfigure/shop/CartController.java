package dev.eventsource.test.autoconfigure.shop;

import dev.eventsource.Repository;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The shop's web API; an event-sourcing test slice must not start it. */
@RestController
public class CartController {

    private final Repository<Cart> carts;

    public CartController(Repository<Cart> carts) {
        this.carts = carts;
    }

    @PostMapping("/carts/{id}/items")
    public void add(@PathVariable String id, @RequestBody String item) {
        carts.apply(new Cart.AddItem(id, item));
    }
}
