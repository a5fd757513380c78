/**
 * Spending a key's credits: {@link dev.gatekey.credits.CreditSpender} and its two ways,
 * {@link dev.gatekey.credits.LeasedCredits} (per node, batches leased from the key store: never more than the
 * stored credits are spent) and {@link dev.gatekey.credits.RedisCredits} (one counter per key and credits generation
 * in Redis, shared by all nodes and filled with batches leased from the store: exact, never overspent, falling back
 * to per-node leases while Redis is down).
 *
 * <p>Depends on {@code dev.gatekey.store}, and on {@code dev.gatekey.ratelimit} for the Redis client options (Lettuce
 * and Resilience4j are linked only by the Redis classes).
 */
package dev.gatekey.credits;
