package dev.gatekey.persistence;

/**
 * A stored key could not be decrypted: it was tampered with, or encrypted under a master key that
 * is no longer configured ({@link #unknownKeyId()} then names it). Never carries key material.
 */
public class MasterKeyException extends GatekeyException {

    private static final long serialVersionUID = 1L;

    private final String unknownKeyId;

    MasterKeyException(String message, String unknownKeyId, Throwable cause) {
        super(message, cause);
        this.unknownKeyId = unknownKeyId;
    }

    /** The id of the missing master key, or {@code null} when the failure was something else. */
    public String unknownKeyId() {
        return unknownKeyId;
    }
}
