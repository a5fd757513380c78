package dev.gatekey.persistence;

/**
 * The database could not complete an operation: no connection within the time-out, a statement
 * time-out, a lost connection, or any other failure of the database or its driver. The operation
 * did not take effect (its transaction rolled back); the caller may retry later. The admin API
 * answers 503 with {@code Retry-After}.
 *
 * <p>This is the one type in which database failures leave the key services, so callers need no
 * JPA or JDBC types. The message says what failed without URLs, passwords or key material; the
 * driver's exception is the cause.
 */
public class DatabaseUnavailableException extends GatekeyException {

    private static final long serialVersionUID = 1L;

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
