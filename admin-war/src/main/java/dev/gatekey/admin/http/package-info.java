/**
 * The admin WAR's HTTP plumbing, shared by the admin API, the web UI sign-in and the leak webhook:
 * {@link dev.gatekey.admin.http.Problem} (an exception becomes an RFC 9457 problem, written through the
 * filter's {@link dev.gatekey.problem.ProblemResponses}), {@link dev.gatekey.admin.http.HttpProblem} (a refusal
 * decided at the HTTP layer), {@link dev.gatekey.admin.http.BoundedBody} (the request body read within its
 * limit) and {@link dev.gatekey.admin.http.Json} (the one {@code ObjectMapper}, the media type check, JSON
 * answers).
 *
 * <p>Depends on nothing else in the admin WAR: only on the Servlet API, Jackson, the filter's
 * {@code dev.gatekey.problem} and {@code dev.gatekey.store}, and the exception types of
 * {@code dev.gatekey.persistence}.
 */
package dev.gatekey.admin.http;
