package dev.gatekey.matrix.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import java.security.Principal;

/** What Jakarta Security's {@link SecurityContext} says about the caller. */
@RequestScoped
public class Caller {

    @Inject
    SecurityContext security;

    /** The caller's name, or {@code null} for an anonymous request. */
    public String name() {
        Principal principal = security.getCallerPrincipal();
        return principal == null ? null : principal.getName();
    }

    public boolean isReader() {
        return security.isCallerInRole("reader");
    }
}
