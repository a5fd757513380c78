package dev.gatekey.store;

import java.time.Instant;

/**
 * What {@link KeyStore#leaseCredits} took from a key's credits: a real decrement in the store, which the node then
 * spends locally.
 *
 * @param granted credits taken ({@code 0} when none were left)
 * @param generation the credits' generation the lease was taken from (see {@link CreditPolicy#generation()})
 * @param nextRefillAt when the next refill is due, {@code null} without refill (for {@code Retry-After})
 */
public record CreditLease(long granted, long generation, Instant nextRefillAt) {
}
