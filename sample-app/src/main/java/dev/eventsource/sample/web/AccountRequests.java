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

    record Open(@NotBlank @Plain @Size(max = PersonRequests.MAX_NAME) String owner) {
    }

    record Amount(
            @NotNull @Positive
            @Digits(integer = 15, fraction = 2, message = "must have at most 2 decimals and 15 digits before the point")
            BigDecimal amount) {

        /**
         * Compares the amount by value: 1.10000 is 1.10, so trailing zeros do not count as decimals. Exponents
         * beyond the allowed digits are left as sent, for the check to refuse without expanding them.
         */
        Amount {
            if (amount != null) {
                amount = amount.stripTrailingZeros();
                if (amount.scale() < 0 && amount.scale() >= -15) {
                    amount = amount.setScale(0);
                }
            }
        }
    }
}
