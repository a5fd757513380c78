/**
 * Bucket4j rate limits, local or shared through Redis: per key, and failed attempts per client IP.
 *
 * <p>Main types: {@link dev.gatekey.ratelimit.RateLimiters}, {@link dev.gatekey.ratelimit.RateLimit} and
 * {@link dev.gatekey.ratelimit.TickerTimeMeter}; {@link dev.gatekey.ratelimit.RedisClientOptions} (shared with the
 * credits' Redis counters); Redis through Lettuce behind a Resilience4j breaker. Depends on
 * {@code dev.gatekey.problem} (refusals) and {@code dev.gatekey.cache} ({@code TickerClock}) only.
 */
package dev.gatekey.ratelimit;
