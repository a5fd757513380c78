package dev.gatekey.examples.dualauth;

import java.security.Principal;
import java.util.List;

/**
 * The caller of a verified JWT.
 *
 * @param sub the {@code sub} claim
 * @param roles the {@code roles} claim (strings), empty without one
 */
public record JwtPrincipal(String sub, List<String> roles) implements Principal {

    public JwtPrincipal {
        roles = List.copyOf(roles);
    }

    @Override
    public String getName() {
        return sub;
    }
}
