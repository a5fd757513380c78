package dev.gatekey.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterTypeDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;

/**
 * Enables the mechanism when, and only when, an application class carries
 * {@link ApiKeyAuthenticationMechanismDefinition}: the mechanism then becomes an application-scoped managed bean,
 * found by the container's Jakarta Security like any {@code HttpAuthenticationMechanism} of the application.
 *
 * <p>Registered in {@code META-INF/services}, so every CDI container loads it, also one without Jakarta Security (Weld
 * on Tomcat): nothing here refers to a Jakarta Security type, and the mechanism's class is only touched once a
 * definition was found.
 */
public class ApiKeyMechanismExtension implements Extension {

    private volatile ApiKeyAuthenticationMechanismDefinition definition;
    private volatile String definedOn;

    <T> void findDefinition(@Observes @WithAnnotations(ApiKeyAuthenticationMechanismDefinition.class)
            ProcessAnnotatedType<T> event) {
        ApiKeyAuthenticationMechanismDefinition found = event.getAnnotatedType().getJavaClass()
                .getAnnotation(ApiKeyAuthenticationMechanismDefinition.class);
        if (found == null) {
            return;
        }
        String on = event.getAnnotatedType().getJavaClass().getName();
        if (definition != null && !on.equals(definedOn)) {
            throw new DeploymentException("More than one @ApiKeyAuthenticationMechanismDefinition: on " + definedOn
                    + " and on " + on);
        }
        definition = found;
        definedOn = on;
    }

    void addMechanism(@Observes AfterTypeDiscovery event) {
        if (definition != null) {
            MechanismBeans.add(event);
        }
    }

    /** The application's definition, or {@code null} when it has none. */
    public ApiKeyAuthenticationMechanismDefinition definition() {
        return definition;
    }

    /** The class carrying the definition, or {@code null}. */
    public String definedOn() {
        return definedOn;
    }

    /** Keeps {@link ApiKeyAuthenticationMechanism} (and with it Jakarta Security) out of this class's constant pool. */
    private static final class MechanismBeans {

        static void add(AfterTypeDiscovery event) {
            event.addAnnotatedType(ApiKeyAuthenticationMechanism.class, ApiKeyAuthenticationMechanism.class.getName())
                    .add(ApplicationScoped.Literal.INSTANCE);
        }
    }
}
