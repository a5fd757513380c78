package dev.gatekey.persistence;

/** An input exceeds its size limit (HTTP 413), e.g. consumer metadata over its byte limit. */
public class PayloadTooLargeException extends GatekeyException {

    private static final long serialVersionUID = 1L;

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
