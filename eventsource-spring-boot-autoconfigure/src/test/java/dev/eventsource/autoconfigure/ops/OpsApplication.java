package dev.eventsource.autoconfigure.ops;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A web application with the ticket projection, for the tests of the eventsource Actuator endpoint. */
@SpringBootApplication
public class OpsApplication {
}
