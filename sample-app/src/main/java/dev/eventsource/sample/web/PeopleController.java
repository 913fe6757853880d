package dev.eventsource.sample.web;

import dev.eventsource.sample.person.Person;
import dev.eventsource.sample.person.PersonService;
import dev.eventsource.sample.idempotency.IdempotencyKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import dev.eventsource.sample.person.PeopleDirectory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.List;

/** {@code /people}: list everyone (eventually consistent), create a person, read them, rename them, change their email, read their history. */
@RestController
@RequestMapping(path = "/people", produces = MediaType.APPLICATION_JSON_VALUE)
class PeopleController {

    private final PersonService people;

    private final PeopleDirectory directory;

    private final JsonMapper mapper;

    PeopleController(PersonService people, PeopleDirectory directory, JsonMapper mapper) {
        this.people = people;
        this.directory = directory;
        this.mapper = mapper;
    }

    /**
     * Lists everyone from the read model kept by the "people" projection. Eventually consistent: a person created
     * a moment ago may not be listed yet (see {@link PeopleDirectory}); {@code GET /people/{id}} is always current.
     */
    @GetMapping
    List<PersonView> list() {
        return this.directory.list().stream()
            .map((entry) -> new PersonView(entry.id(), entry.name(), entry.email(), entry.version()))
            .toList();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PersonView> create(@Valid @RequestBody PersonRequests.Create request,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key, HttpServletRequest http) {
        Person person = this.people.create(request.name(), request.email(), Keys.of(key, http, request, this.mapper));
        return ResponseEntity.created(URI.create("/people/" + person.id()))
            .eTag(IfMatch.etag(person.version()))
            .body(PersonView.of(person));
    }

    @GetMapping("/{id}")
    ResponseEntity<PersonView> get(@PathVariable String id) {
        return ok(this.people.get(id));
    }

    @PutMapping(path = "/{id}/name", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PersonView> rename(@PathVariable String id, @Valid @RequestBody PersonRequests.Rename request,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key, HttpServletRequest http) {
        return ok(this.people.rename(id, request.name(), IfMatch.expectedVersion(ifMatch),
                Keys.of(key, http, request, this.mapper)));
    }

    @PutMapping(path = "/{id}/email", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<PersonView> changeEmail(@PathVariable String id,
            @Valid @RequestBody PersonRequests.ChangeEmail request,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key, HttpServletRequest http) {
        return ok(this.people.changeEmail(id, request.email(), IfMatch.expectedVersion(ifMatch),
                Keys.of(key, http, request, this.mapper)));
    }

    @GetMapping("/{id}/events")
    List<EventView> events(@PathVariable String id) {
        return EventView.of(this.people.history(id), this.mapper);
    }

    private static ResponseEntity<PersonView> ok(Person person) {
        return ResponseEntity.ok().eTag(IfMatch.etag(person.version())).body(PersonView.of(person));
    }
}
