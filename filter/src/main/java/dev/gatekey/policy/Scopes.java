package dev.gatekey.policy;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scope names: what a key is allowed to do, as the application names it ({@code orders:read}). A scope matches
 * {@value #PATTERN}; a key has at most {@value #MAX_SCOPES}. The filter's {@code requiredScopes} requires all of
 * the listed scopes.
 */
public final class Scopes {

    /** The pattern every scope matches. */
    public static final String PATTERN = "^[a-z][a-z0-9:._-]{0,63}$";

    /** The most scopes one key may have. */
    public static final int MAX_SCOPES = 32;

    private static final Pattern SCOPE = Pattern.compile(PATTERN);

    private Scopes() {
    }

    /**
     * Checks one scope name.
     *
     * @param scope the name
     * @return empty when valid, else {@code scope must match ^[a-z][a-z0-9:._-]{0,63}$}
     */
    public static Optional<String> invalid(String scope) {
        return scope != null && SCOPE.matcher(scope).matches()
                ? Optional.empty() : Optional.of("scope must match " + PATTERN);
    }

    /**
     * Checks a key's whole scope list: its size, then each name.
     *
     * @param scopes the list (null is none)
     * @return empty when valid, else {@code at most 32 scopes} or the message of {@link #invalid(String)}
     */
    public static Optional<String> invalidList(Collection<String> scopes) {
        if (scopes == null) {
            return Optional.empty();
        }
        if (scopes.size() > MAX_SCOPES) {
            return Optional.of("at most " + MAX_SCOPES + " scopes");
        }
        for (String scope : scopes) {
            Optional<String> problem = invalid(scope);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a comma-separated list such as the filter's {@code requiredScopes}; blanks around names are ignored.
     *
     * @param commaList the list; null or blank is none
     * @return the scopes in their order, without duplicates
     * @throws IllegalArgumentException when a name does not match {@value #PATTERN}
     */
    public static Set<String> parse(String commaList) {
        Set<String> scopes = new LinkedHashSet<>();
        if (commaList == null || commaList.isBlank()) {
            return Set.of();
        }
        for (String part : commaList.split(",")) {
            String scope = part.strip();
            if (scope.isEmpty()) {
                continue;
            }
            Optional<String> problem = invalid(scope);
            if (problem.isPresent()) {
                throw new IllegalArgumentException(problem.get() + ": " + scope);
            }
            scopes.add(scope);
        }
        return java.util.Collections.unmodifiableSet(scopes);
    }

    /**
     * Whether a key's scopes include every required one.
     *
     * @param granted the key's scopes
     * @param required the scopes a request needs
     * @return true when {@code required} is empty or all of it is granted
     */
    public static boolean grants(Set<String> granted, Set<String> required) {
        return required.isEmpty() || granted.containsAll(required);
    }
}
