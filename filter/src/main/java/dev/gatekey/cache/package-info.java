/**
 * The key cache: positive and negative store answers by key hash, and the last-known-good entries served while the store fails.
 *
 * <p>Main types: {@link dev.gatekey.cache.KeyCache} (Caffeine, with a Resilience4j breaker around the store) and
 * {@link dev.gatekey.cache.TickerClock}. Depends on {@code dev.gatekey.store} and {@code dev.gatekey.metrics} only.
 */
package dev.gatekey.cache;
