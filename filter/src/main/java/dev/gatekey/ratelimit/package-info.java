/** Bucket4j rate limits, local or shared through Redis: per key, and failed attempts per client IP. */
package dev.gatekey.ratelimit;
