/**
 * Reading Gatekey's configuration values the same way everywhere (the filter's init-params, the admin WAR's
 * context params): {@link dev.gatekey.config.Placeholders} expands {@code ${env:NAME}} and {@code ${sys:name}}, so
 * secrets can stay out of deployment descriptors.
 *
 * <p>Depends on the JDK only, so the filter, the admin WAR and the examples may all use it.
 */
package dev.gatekey.config;
