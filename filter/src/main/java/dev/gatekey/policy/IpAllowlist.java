package dev.gatekey.policy;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The IP addresses a key may be used from: a list of IPv4 and IPv6 CIDRs (or single addresses). An empty list
 * allows every address. Immutable and thread-safe; build it once per key and call {@link #allows(String)} per
 * request.
 *
 * <p>Only literal addresses are accepted: no host names, no DNS lookups, no wildcards or ranges, no
 * {@code inet_aton} shorthands such as {@code 10.1}. A remote address given as an IPv4-mapped IPv6 address
 * ({@code ::ffff:10.0.0.1}) matches IPv4 CIDRs; zone ids ({@code fe80::1%eth0}) and brackets ({@code [::1]})
 * are ignored.
 */
public final class IpAllowlist {

    /** The most entries one key may have (the admin API refuses more). */
    public static final int MAX_ENTRIES = 50;

    private static final IpAllowlist ALLOW_ALL = new IpAllowlist(List.of());

    private static final IPAddressStringParameters LITERAL = new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowMask(false)
            .allowWildcardedSeparator(false)
            .getIPv4AddressParametersBuilder()
                .allow_inet_aton(false)
                .allowLeadingZeros(true)
                .allowWildcardedSeparator(false)
                .setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
                .getParentBuilder()
            .getIPv6AddressParametersBuilder()
                .allowWildcardedSeparator(false)
                .setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
                .allowZone(false)
                .getParentBuilder()
            .toParams();

    private static final IPAddressStringParameters REMOTE = LITERAL.toBuilder()
            .getIPv6AddressParametersBuilder().allowZone(true).getParentBuilder()
            .allowPrefix(false)
            .toParams();

    private final List<IPAddress> blocks;

    private IpAllowlist(List<IPAddress> blocks) {
        this.blocks = blocks;
    }

    /**
     * Checks one allowlist entry.
     *
     * @param cidr an entry such as {@code 10.0.0.0/8}, {@code 203.0.113.7} or {@code 2001:db8::/32}
     * @return empty when valid, else the message {@code not an IPv4 or IPv6 CIDR: <value>}
     */
    public static Optional<String> invalid(String cidr) {
        return parse(cidr) == null ? Optional.of("not an IPv4 or IPv6 CIDR: " + cidr) : Optional.empty();
    }

    /**
     * Builds an allowlist.
     *
     * @param cidrs the entries, each valid by {@link #invalid(String)}; null or empty allows every address
     * @return the allowlist
     * @throws IllegalArgumentException when an entry is not valid
     */
    public static IpAllowlist of(List<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            return ALLOW_ALL;
        }
        List<IPAddress> blocks = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            IPAddress block = parse(cidr);
            if (block == null) {
                throw new IllegalArgumentException("not an IPv4 or IPv6 CIDR: " + cidr);
            }
            blocks.add(block);
        }
        return new IpAllowlist(List.copyOf(blocks));
    }

    /** @return true when this list has no entries and so allows every address */
    public boolean allowsAll() {
        return blocks.isEmpty();
    }

    /**
     * Whether a request from this address may use the key.
     *
     * @param remoteAddr the client address as the container reports it ({@code ServletRequest.getRemoteAddr()})
     * @return true when the list is empty or an entry contains the address; false for anything unparsable
     */
    public boolean allows(String remoteAddr) {
        if (blocks.isEmpty()) {
            return true;
        }
        IPAddress remote = remote(remoteAddr);
        if (remote == null) {
            return false;
        }
        for (IPAddress block : blocks) {
            if (block.getIPVersion() == remote.getIPVersion() && block.contains(remote)) {
                return true;
            }
        }
        return false;
    }

    private static IPAddress parse(String cidr) {
        if (cidr == null || cidr.isBlank() || !cidr.strip().equals(cidr)) {
            return null;
        }
        try {
            IPAddress address = new IPAddressString(cidr, LITERAL).toAddress();
            return address.isMultiple() && !address.isPrefixBlock()
                    ? null
                    : address.getNetworkPrefixLength() == null ? address : address.toPrefixBlock();
        } catch (AddressStringException e) {
            return null;
        }
    }

    private static IPAddress remote(String remoteAddr) {
        if (remoteAddr == null || remoteAddr.isEmpty()) {
            return null;
        }
        String text = remoteAddr.length() > 2 && remoteAddr.charAt(0) == '['
                && remoteAddr.charAt(remoteAddr.length() - 1) == ']'
                ? remoteAddr.substring(1, remoteAddr.length() - 1) : remoteAddr;
        try {
            IPAddress address = new IPAddressString(text, REMOTE).toAddress();
            if (address instanceof IPv6Address v6) {
                IPv6Address plain = v6.removeZone();
                if (plain.isIPv4Mapped()) {
                    IPv4Address v4 = plain.getEmbeddedIPv4Address();
                    return v4;
                }
                return plain;
            }
            return address;
        } catch (AddressStringException e) {
            return null;
        }
    }
}
