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

    private static final IpAllowlist ALLOW_ALL = new IpAllowlist(List.of(), false);
    private static final IpAllowlist DENY_ALL = new IpAllowlist(List.of(), true);

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
    private final boolean denyAll;
    /** The IPv4 blocks as [first, last] pairs of unsigned values: the common case needs no parser. */
    private final long[] v4Ranges;

    private IpAllowlist(List<IPAddress> blocks, boolean denyAll) {
        this.blocks = blocks;
        this.denyAll = denyAll;
        this.v4Ranges = blocks.stream().filter(IPAddress::isIPv4)
                .flatMapToLong(b -> java.util.stream.LongStream.of(b.getLower().getValue().longValue(),
                        b.getUpper().getValue().longValue()))
                .toArray();
    }

    /** An allowlist no address matches: for a stored list that cannot be read, refusing is the safe answer. */
    public static IpAllowlist denyAll() {
        return DENY_ALL;
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
        return new IpAllowlist(List.copyOf(blocks), false);
    }

    /**
     * Builds the allowlist of a stored key: like {@link #of}, but a list with an invalid entry (which the admin API
     * never writes) allows no address rather than failing.
     */
    public static IpAllowlist ofStored(List<String> cidrs) {
        try {
            return of(cidrs);
        } catch (IllegalArgumentException e) {
            return DENY_ALL;
        }
    }

    /** @return true when this list has no entries and so allows every address */
    public boolean allowsAll() {
        return blocks.isEmpty() && !denyAll;
    }

    /**
     * Whether a request from this address may use the key.
     *
     * @param remoteAddr the client address as the container reports it ({@code ServletRequest.getRemoteAddr()})
     * @return true when the list is empty or an entry contains the address; false for anything unparsable
     */
    public boolean allows(String remoteAddr) {
        if (blocks.isEmpty()) {
            return !denyAll;
        }
        long v4 = plainIpv4(remoteAddr);
        if (v4 >= 0) {
            for (int i = 0; i < v4Ranges.length; i += 2) {
                if (v4 >= v4Ranges[i] && v4 <= v4Ranges[i + 1]) {
                    return true;
                }
            }
            return false;
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

    /** A dotted-quad IPv4 address ({@code 192.0.2.10}) as an unsigned value, or -1 for anything else. */
    static long plainIpv4(String text) {
        if (text == null) {
            return -1;
        }
        long value = 0;
        int octets = 0;
        int octet = -1;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255) {
                    return -1;
                }
            } else if (c == '.' && octet >= 0 && octets < 3) {
                value = (value << 8) | octet;
                octets++;
                octet = -1;
            } else {
                return -1;
            }
        }
        return octets == 3 && octet >= 0 ? (value << 8) | octet : -1;
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
