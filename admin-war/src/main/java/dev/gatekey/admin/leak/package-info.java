/**
 * Leak detection: {@link dev.gatekey.admin.leak.GithubSecretScanningServlet} receives GitHub's secret-scanning
 * partner reports (signature-verified with {@link dev.gatekey.admin.leak.GithubPublicKeys}), labels each token,
 * records leaked active keys (and revokes them when configured, see {@link dev.gatekey.admin.leak.LeakSettings})
 * and tells the optional leak webhook ({@link dev.gatekey.admin.leak.LeakNotifier}).
 * {@link dev.gatekey.admin.leak.SecretScanningPatterns} gives the regex to register.
 */
package dev.gatekey.admin.leak;
