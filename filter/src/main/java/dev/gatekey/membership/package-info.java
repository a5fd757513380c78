/**
 * Which keys exist: a compact membership filter of the key hashes the store has, so that keys nobody ever
 * created are refused without a store lookup.
 */
package dev.gatekey.membership;
