package dev.eventsource.test.autoconfigure.shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small application to slice: an aggregate, a projection, a web controller and a service unrelated to events. */
@SpringBootApplication
public class ShopApplication {
}
