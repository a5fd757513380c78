package dev.gatekey.persistence;

/**
 * Base of the typed errors of the {@link KeyManagement} services: each subclass maps to one HTTP status of the
 * admin API (400, 404, 409, 413). Messages never contain key material.
 */
public class GatekeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GatekeyException(String message) {
        super(message);
    }

    public GatekeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
