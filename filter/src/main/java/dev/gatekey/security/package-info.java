/**
 * Jakarta Security (3.0, EE 10 and later): {@link dev.gatekey.security.ApiKeyAuthenticationMechanismDefinition} on an
 * application class enables an {@code HttpAuthenticationMechanism} that runs the filter's validation flow
 * ({@link dev.gatekey.filter.KeyAuthentication}) and tells the container who called, so {@code @RolesAllowed} on
 * JAX-RS resources and EJBs, {@code SecurityContext} and security constraints see an API key caller.
 *
 * <p>Only this package uses the Jakarta Security API, and no other package loads its classes: the filter runs
 * unchanged where the container has no Jakarta Security (Tomcat). The CDI extension registered in
 * {@code META-INF/services} touches the mechanism's class only when the annotation is present.
 */
package dev.gatekey.security;
