/**
 * The container matrix's Jakarta Security application: {@link dev.gatekey.matrix.security.ApiKeySecurity} enables
 * Gatekey's mechanism; {@link dev.gatekey.matrix.security.ReportResource} (JAX-RS, {@code @RolesAllowed}),
 * {@link dev.gatekey.matrix.security.ReportService} (EJB, {@code @RolesAllowed}) and
 * {@link dev.gatekey.matrix.security.Caller} (CDI, {@code SecurityContext}) show what the container knows of an API
 * key caller.
 */
package dev.gatekey.matrix.security;
