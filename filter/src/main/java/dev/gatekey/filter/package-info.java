/** The servlet filter ({@link dev.gatekey.filter.ApiKeyFilter}), its settings and the steps it coordinates. */
package dev.gatekey.filter;
