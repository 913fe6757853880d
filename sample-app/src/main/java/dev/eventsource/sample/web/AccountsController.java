package dev.eventsource.sample.web;

import dev.eventsource.sample.account.Account;
import dev.eventsource.sample.account.AccountService;
import dev.eventsource.sample.idempotency.IdempotencyKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.List;

/** {@code /accounts}: open an account, deposit, withdraw (never below zero), read it and its history. */
@RestController
@RequestMapping(path = "/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
class AccountsController {

    private final AccountService accounts;

    private final JsonMapper mapper;

    AccountsController(AccountService accounts, JsonMapper mapper) {
        this.accounts = accounts;
        this.mapper = mapper;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AccountView> open(@Valid @RequestBody AccountRequests.Open request,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key, HttpServletRequest http) {
        Account account = this.accounts.open(request.owner(), Keys.of(key, http, request, this.mapper));
        return ResponseEntity.created(URI.create("/accounts/" + account.id()))
            .eTag(IfMatch.etag(account.version()))
            .body(AccountView.of(account));
    }

    @GetMapping("/{id}")
    ResponseEntity<AccountView> get(@PathVariable String id) {
        return ok(this.accounts.get(id));
    }

    @PostMapping(path = "/{id}/deposits", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AccountView> deposit(@PathVariable String id, @Valid @RequestBody AccountRequests.Amount request,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key, HttpServletRequest http) {
        return ok(this.accounts.deposit(id, request.amount(), Keys.of(key, http, request, this.mapper)));
    }

    @PostMapping(path = "/{id}/withdrawals", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AccountView> withdraw(@PathVariable String id, @Valid @RequestBody AccountRequests.Amount request,
            @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key, HttpServletRequest http) {
        return ok(this.accounts.withdraw(id, request.amount(), Keys.of(key, http, request, this.mapper)));
    }

    @GetMapping("/{id}/events")
    List<EventView> events(@PathVariable String id) {
        return EventView.of(this.accounts.history(id), this.mapper);
    }

    private static ResponseEntity<AccountView> ok(Account account) {
        return ResponseEntity.ok().eTag(IfMatch.etag(account.version())).body(AccountView.of(account));
    }
}
