package dev.gatekey.examples.annotated;

import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** A request-scoped service that reads the caller's plan from its consumer metadata. */
@RequestScoped
public class Plans {

    static final String FREE = "free";

    @Inject
    ApiKeyPrincipal caller;

    /** The consumer's metadata {@code plan}, or {@value #FREE}. */
    public String currentPlan() {
        return caller.data().get("plan") instanceof String plan ? plan : FREE;
    }
}
