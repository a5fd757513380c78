/**
 * The servlet filter ({@link dev.gatekey.filter.ApiKeyFilter}), its settings and the steps it coordinates.
 *
 * <p>The top of the filter module: it may depend on every other package of the module (store, format, config,
 * principal, problem, metrics, cache, membership, ratelimit), and none of them depends on it.
 */
package dev.gatekey.filter;
