package dev.gatekey.persistence;

import java.util.List;
import java.util.stream.Collectors;

/** Input failed validation (HTTP 400); {@link #errors()} lists every rejected field. */
public class InvalidInputException extends GatekeyException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
