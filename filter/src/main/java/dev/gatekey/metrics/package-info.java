/**
 * Micrometer meters when Micrometer is present, a no-op otherwise.
 *
 * <p>Main types: {@link dev.gatekey.metrics.GatekeyMetrics}, {@link dev.gatekey.metrics.MicrometerMetrics} and
 * {@link dev.gatekey.metrics.NoopMetrics}. Depends on {@code dev.gatekey.problem} only (the outcomes it counts).
 */
package dev.gatekey.metrics;
