package dev.gatekey.store;

/**
 * The store could not answer: the database is down, a timeout passed, the pool is exhausted. Never
 * a verdict on a key; the filter answers 503 and caches nothing.
 */
public class KeyStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KeyStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public KeyStoreException(String message) {
        super(message);
    }
}
