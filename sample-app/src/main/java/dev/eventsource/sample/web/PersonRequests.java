package dev.eventsource.sample.web;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of {@code /people}. */
final class PersonRequests {

    static final int MAX_NAME = 200;

    static final int MAX_EMAIL = 254;

    private PersonRequests() {
    }

    record Create(
            @NotBlank @Plain @Size(max = MAX_NAME) String name,
            @NotBlank @Plain @Email(message = "must be an email address such as ada@example.com") @Size(max = MAX_EMAIL)
            String email) {
    }

    record Rename(@NotBlank @Plain @Size(max = MAX_NAME) String name) {
    }

    record ChangeEmail(
            @NotBlank @Plain @Email(message = "must be an email address such as ada@example.com") @Size(max = MAX_EMAIL)
            String email) {
    }
}
