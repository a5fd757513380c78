/** Micrometer meters when Micrometer is present, a no-op otherwise. */
package dev.gatekey.metrics;
