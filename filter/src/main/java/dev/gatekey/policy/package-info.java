/**
 * Key policies evaluated by the filter and validated by the admin API: {@link dev.gatekey.policy.IpAllowlist}
 * (IPv4/IPv6 CIDRs, literal addresses only, never a DNS lookup) and {@link dev.gatekey.policy.Scopes} (scope
 * names, parsing and matching).
 *
 * <p>Depends on the JDK and the {@code ipaddress} library only, so that persistence and the admin WAR may call
 * the same validation helpers the filter uses.
 */
package dev.gatekey.policy;
