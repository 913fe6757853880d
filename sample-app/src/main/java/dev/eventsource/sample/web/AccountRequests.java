package dev.eventsource.sample.web;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;

/** Request bodies of {@code /accounts}. */
final class AccountRequests {

    private AccountRequests() {
    }

    record Open(@NotBlank @Size(max = PersonRequests.MAX_NAME) String owner) {
    }

    record Amount(
            @NotNull @Positive
            @Digits(integer = 15, fraction = 2, message = "must have at most 2 decimals and 15 digits before the point")
            BigDecimal amount) {
    }
}
