package dev.gatekey.persistence;

/**
 * The operation conflicts with the current state (HTTP 409): a duplicate name or prefix, a bucket
 * that still has consumers, visible keys asked of an irretrievable bucket.
 */
public class ConflictException extends GatekeyException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
