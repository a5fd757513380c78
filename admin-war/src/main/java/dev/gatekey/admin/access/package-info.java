/**
 * The admin access rules: {@link dev.gatekey.admin.access.AdminAccess} (the admin bucket, realm and roles, and
 * who a request's caller is), {@link dev.gatekey.admin.access.Caller} (the audit actor and whether it may write)
 * and {@link dev.gatekey.admin.access.AdminSessions} (web UI sessions and their CSRF token).
 *
 * <p>May depend on {@code dev.gatekey.admin.http} (its refusals are {@code HttpProblem}s), the Servlet API and
 * the filter's {@code dev.gatekey.principal}; on nothing else in the admin WAR.
 */
package dev.gatekey.admin.access;
