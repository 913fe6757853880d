package dev.eventsource.autoconfigure.web;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The web application of the store failure tests: its package is scanned for aggregates and beans. */
@SpringBootApplication
public class GateApplication {
}
