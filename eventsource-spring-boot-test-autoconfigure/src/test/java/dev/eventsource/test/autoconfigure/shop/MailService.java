package dev.eventsource.test.autoconfigure.shop;

import org.springframework.stereotype.Service;

/** A service that has nothing to do with event sourcing; an event-sourcing test slice must not start it. */
@Service
public class MailService {
}
