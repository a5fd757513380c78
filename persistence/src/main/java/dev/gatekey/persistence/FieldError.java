package dev.gatekey.persistence;

import java.util.Objects;

/**
 * One rejected input field.
 *
 * @param field the field's name as the admin API spells it, e.g. {@code name} or {@code tags.env}
 * @param message what is wrong, e.g. {@code name must match ^[a-z0-9][a-z0-9-]{2,63}$}
 */
public record FieldError(String field, String message) {

    public FieldError {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
