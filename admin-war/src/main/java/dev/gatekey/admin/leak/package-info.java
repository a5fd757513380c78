/**
 * Leak detection: {@link dev.gatekey.admin.leak.GithubSecretScanningServlet} receives GitHub's secret-scanning
 * partner reports (signature-verified with {@link dev.gatekey.admin.leak.GithubPublicKeys}), labels each token,
 * records leaked active keys (and revokes them when configured, see {@link dev.gatekey.admin.leak.LeakSettings})
 * and tells the optional leak webhook ({@link dev.gatekey.admin.leak.LeakNotifier}).
 * The regex to register with GitHub is the admin API's ({@code GET /secret-scanning/patterns}).
 *
 * <p>May depend on {@code dev.gatekey.admin.http} (problems, bounded body, JSON) and
 * {@code dev.gatekey.admin.access}, the key service of {@code dev.gatekey.persistence}, the filter's types and the
 * settings toolkit; not on {@code dev.gatekey.admin.api} nor on the root {@code dev.gatekey.admin}.
 */
package dev.gatekey.admin.leak;
