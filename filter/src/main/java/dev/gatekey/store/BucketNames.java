package dev.gatekey.store;

import java.util.regex.Pattern;

/**
 * The one rule for bucket names, shared by the filter's {@code bucket} init-param and the key store: 3 to 64
 * characters of {@code [a-z0-9-]}, not starting with {@code -}.
 */
public final class BucketNames {

    /** The rule as a regular expression, as error messages quote it. */
    public static final String REGEX = "^[a-z0-9][a-z0-9-]{2,63}$";

    /** {@link #REGEX}, compiled. */
    public static final Pattern PATTERN = Pattern.compile(REGEX);

    private BucketNames() {
    }

    /** Whether {@code name} is a valid bucket name ({@code null} is not). */
    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
