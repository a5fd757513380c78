/**
 * The settings toolkit: reading named configuration values (a filter's init-params, a web application's context
 * params) with {@code ${env:}}/{@code ${sys:}} expansion ({@link dev.gatekey.config.Placeholders}), typed parsing
 * with one wording of every refusal ({@link dev.gatekey.config.SettingsReader}), and the hiding of secrets in
 * messages and log lines ({@link dev.gatekey.config.Redaction}, {@link dev.gatekey.config.Description}).
 *
 * <p>The filter's {@code FilterSettings} and the admin WAR's {@code AdminSettings} and {@code LeakSettings} parse
 * through it. It depends on the JDK only: nothing else in Gatekey, so any module may use it.
 */
package dev.gatekey.config;
