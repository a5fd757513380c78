/**
 * Helpers for the modules' tests, on their test class paths only and never shipped:
 * {@link dev.gatekey.testsupport.SkipReasonListener}, a JUnit Platform listener (registered through
 * {@code META-INF/services}) that prints on the Maven console why tests were skipped, one line per reason.
 *
 * <p>Depends on the JUnit Platform launcher only, no Gatekey package, so that every module, the filter included,
 * may put it on its test class path.
 */
package dev.gatekey.testsupport;
