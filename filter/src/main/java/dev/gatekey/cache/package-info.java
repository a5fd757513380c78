/** The key cache: positive and negative store answers by key hash, and the last-known-good entries served while the store fails. */
package dev.gatekey.cache;
