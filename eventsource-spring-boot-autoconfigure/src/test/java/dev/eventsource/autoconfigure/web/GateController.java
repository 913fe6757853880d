package dev.eventsource.autoconfigure.web;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Opens gates over HTTP; answers the new version. */
@RestController
public class GateController {

    private final GateService service;

    public GateController(GateService service) {
        this.service = service;
    }

    @PostMapping("/gates/{id}")
    String open(@PathVariable String id) {
        return Long.toString(this.service.open(id));
    }

    @PostMapping("/transactional-gates/{id}")
    String openInTransaction(@PathVariable String id) {
        return Long.toString(this.service.openInTransaction(id));
    }
}
