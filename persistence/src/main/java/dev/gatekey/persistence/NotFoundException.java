package dev.gatekey.persistence;

/** The bucket, consumer or key does not exist (HTTP 404). Message: {@code consumer alice not found}. */
public class NotFoundException extends GatekeyException {

    private static final long serialVersionUID = 1L;

    private final String what;
    private final String name;

    public NotFoundException(String what, String name) {
        super(what + " " + name + " not found");
        this.what = what;
        this.name = name;
    }

    /** {@code bucket}, {@code consumer} or {@code key}. */
    public String what() {
        return what;
    }

    public String name() {
        return name;
    }
}
