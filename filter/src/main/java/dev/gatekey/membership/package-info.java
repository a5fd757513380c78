/**
 * Which keys exist: a compact membership filter of the key hashes the store has, so that keys nobody ever
 * created are refused without a store lookup.
 *
 * <p>Main type: {@link dev.gatekey.membership.KnownKeys}. Depends on {@code dev.gatekey.store} only.
 */
package dev.gatekey.membership;
