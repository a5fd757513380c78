package dev.gatekey.security;

import dev.gatekey.filter.FilterSettings;
import dev.gatekey.filter.KeyAuthentication;
import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.principal.ApiKeyPrincipal;
import jakarta.annotation.PreDestroy;
import jakarta.el.ELProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Gatekey's {@link HttpAuthenticationMechanism}, enabled by {@link ApiKeyAuthenticationMechanismDefinition}: the
 * filter's validation flow ({@link KeyAuthentication}: cache, change feed, rate limits, credits, metrics and
 * problem+json refusals) for every request, and for a valid key
 * {@link HttpMessageContext#notifyContainerAboutLogin(java.security.Principal, Set)} with the {@link ApiKeyPrincipal}
 * and the groups = consumer metadata {@code roles} ∪ key scopes. The principal is also the request attribute
 * {@value ApiKeyPrincipal#REQUEST_ATTRIBUTE} ({@code @Inject ApiKeyPrincipal} works). No HTTP session is created: the
 * key is checked on every request (from the cache).
 *
 * <ul>
 * <li>No key: an unprotected resource goes on anonymously; a protected one gets the filter's 401.</li>
 * <li>A refusal (401, 403, 429, 503) is written as the filter writes it; the container sends it as it is
 *     ({@link AuthenticationStatus#SEND_CONTINUE}).</li>
 * <li>{@code foreignCredentials=pass}: a credential that is not a Gatekey key goes to the {@code delegate} mechanism;
 *     when that one does not authenticate it either, a protected resource answers 401 and the attempt counts once
 *     against the client's address.</li>
 * </ul>
 *
 * <p>Started when the application starts (a store that cannot be opened fails the deployment), stopped with it.
 */
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticationMechanism.class.getName());

    @Inject
    ApiKeyMechanismExtension extension;
    @Inject
    BeanManager beanManager;

    private volatile KeyAuthentication authentication;
    private volatile HttpAuthenticationMechanism delegate;
    private String delegateName;
    private List<String> challenges;

    /** Starts the validation flow with the application, so a configuration error fails the deployment. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object event) throws ServletException {
        started(event instanceof ServletContext context ? context : null);
    }

    private KeyAuthentication started(ServletContext context) throws ServletException {
        KeyAuthentication running = authentication;
        if (running != null) {
            return running;
        }
        synchronized (this) {
            if (authentication == null) {
                ApiKeyAuthenticationMechanismDefinition definition = extension.definition();
                Map<String, String> params = MechanismParams.of(definition, this::evaluate);
                try {
                    delegateName = MechanismParams.delegate(definition, params, this::evaluate);
                } catch (IllegalArgumentException e) {
                    throw failed(new ServletException(e.getMessage()));
                }
                Object registry = context == null ? null : context.getAttribute(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE);
                KeyAuthentication started;
                try {
                    started = KeyAuthentication.start("mechanism@" + extension.definedOn(), params, registry);
                } catch (ServletException e) {
                    throw failed(e);
                }
                FilterSettings settings = started.settings();
                String scheme = settings.authScheme().isEmpty() ? "Bearer" : settings.authScheme();
                challenges = List.of(scheme + " realm=\"" + settings.realm() + "\"");
                authentication = started;
                LOG.info("Gatekey Jakarta Security mechanism started for " + extension.definedOn()
                        + (delegateName == null ? "" : ", foreign credentials to [" + delegateName + "]"));
            }
            return authentication;
        }
    }

    /** The container may report a failed start without its reason: it is logged here. */
    private static ServletException failed(ServletException e) {
        LOG.severe("Gatekey Jakarta Security mechanism could not start: " + e.getMessage());
        return e;
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
            HttpMessageContext context) throws AuthenticationException {
        try {
            KeyAuthentication running = started(request.getServletContext());
            KeyAuthentication.Result result = running.authenticate(request, response, context.isProtected());
            return switch (result.status()) {
                case AUTHENTICATED -> {
                    ApiKeyPrincipal principal = result.principal();
                    request.setAttribute(ApiKeyPrincipal.REQUEST_ATTRIBUTE, principal);
                    yield context.notifyContainerAboutLogin(principal, groups(principal));
                }
                case ANONYMOUS -> context.doNothing();
                case FOREIGN -> foreign(running, request, response, context);
                case REFUSED -> AuthenticationStatus.SEND_CONTINUE;
            };
        } catch (IOException | ServletException e) {
            throw new AuthenticationException(e);
        }
    }

    private AuthenticationStatus foreign(KeyAuthentication running, HttpServletRequest request,
            HttpServletResponse response, HttpMessageContext context) throws AuthenticationException, IOException {
        HttpAuthenticationMechanism other = delegate();
        AuthenticationStatus status = other == null ? AuthenticationStatus.NOT_DONE
                : other.validateRequest(request, response, context);
        if (status == AuthenticationStatus.SEND_FAILURE) {
            running.countUnaccepted(request);
            return status;
        }
        if (status != AuthenticationStatus.NOT_DONE || !context.isProtected()) {
            return status;
        }
        running.refuseUnaccepted(request, response, challenges);
        return AuthenticationStatus.SEND_CONTINUE;
    }

    @Override
    public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        HttpAuthenticationMechanism.super.cleanSubject(request, response, context);
        HttpAuthenticationMechanism other = delegate;
        if (other != null) {
            other.cleanSubject(request, response, context);
        }
    }

    /** The container's groups of a caller: metadata {@code roles} (strings) and the key's scopes. */
    static Set<String> groups(ApiKeyPrincipal principal) {
        Set<String> groups = new LinkedHashSet<>();
        if (principal.data().get(ApiKeyPrincipal.METADATA_ROLES) instanceof List<?> roles) {
            for (Object role : roles) {
                if (role instanceof String name) {
                    groups.add(name);
                }
            }
        }
        groups.addAll(principal.scopes());
        return groups;
    }

    /**
     * The delegate, looked up at its first use (the application's beans are then all ready), or {@code null} when
     * none is named.
     */
    private HttpAuthenticationMechanism delegate() throws AuthenticationException {
        HttpAuthenticationMechanism found = delegate;
        if (found != null || delegateName == null) {
            return found;
        }
        synchronized (this) {
            if (delegate == null) {
                BeanManager beans = applicationBeans();
                Set<Bean<?>> named = beans.getBeans(delegateName);
                if (named.isEmpty()) {
                    throw refused("No bean named [" + delegateName + "] for the Gatekey mechanism's delegate");
                }
                Bean<?> bean = beans.resolve(named);
                Object reference = beans.getReference(bean, bean.getBeanClass(), beans.createCreationalContext(bean));
                if (!(reference instanceof HttpAuthenticationMechanism mechanism)) {
                    throw refused("The bean named [" + delegateName + "] is not an HttpAuthenticationMechanism");
                }
                delegate = mechanism;
            }
            return delegate;
        }
    }

    /**
     * The web module's bean manager ({@code java:comp/BeanManager}), which sees the application's own classes: the one
     * injected here belongs to Gatekey's jar, and where every jar is a bean archive of its own (Payara) it does not see
     * the beans of {@code WEB-INF/classes}.
     */
    private BeanManager applicationBeans() {
        try {
            return (BeanManager) new InitialContext().lookup("java:comp/BeanManager");
        } catch (NamingException | RuntimeException e) {
            return beanManager;
        }
    }

    private static AuthenticationException refused(String message) {
        LOG.severe(message);
        return new AuthenticationException(message);
    }

    /** A {@code #{...}} attribute, evaluated once against the application's beans. */
    private String evaluate(String expression) {
        ELProcessor processor = new ELProcessor();
        processor.getELManager().addELResolver(applicationBeans().getELResolver());
        Object value = processor.eval(expression.substring(2, expression.length() - 1));
        return value == null ? "" : value.toString();
    }

    @PreDestroy
    void stop() {
        KeyAuthentication running = authentication;
        if (running != null) {
            running.close();
        }
    }
}
