/** Local Bucket4j rate limits: per key, and failed attempts per client IP. */
package dev.gatekey.ratelimit;
