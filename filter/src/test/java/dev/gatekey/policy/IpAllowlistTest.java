package dev.gatekey.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAllowlistTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "203.0.113.7", "203.0.113.7/32", "0.0.0.0/0", "10.0.0.1/8",
        "2001:db8::/32", "::1", "::/0", "2001:db8::1/128", "::ffff:10.0.0.0/104", "fe80::/10"})
    void invalidWhenLiteralAddressOrCidrThenEmpty(String cidr) {
        assertThat(IpAllowlist.invalid(cidr)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "garbage", "10.0.0.0/33", "2001:db8::/129", "256.1.1.1", "10.1", "10",
        "localhost", "example.com", "10.0.0.*", "10.0.0.1-5", "1.2.3.4/255.0.0.0", " 10.0.0.1", "10.0.0.1/",
        "fe80::1%eth0", "[::1]", "*", "10.0.0.0/8,10.0.0.1", "0x0a.0.0.1"})
    void invalidWhenNotLiteralThenMessage(String cidr) {
        assertThat(IpAllowlist.invalid(cidr)).contains("not an IPv4 or IPv6 CIDR: " + cidr);
    }

    @Test
    void invalidWhenNullThenMessage() {
        assertThat(IpAllowlist.invalid(null)).contains("not an IPv4 or IPv6 CIDR: null");
    }

    @Test
    void ofWhenInvalidEntryThenThrows() {
        assertThatThrownBy(() -> IpAllowlist.of(List.of("10.0.0.0/8", "example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an IPv4 or IPv6 CIDR: example.com");
    }

    @Test
    void allowsWhenEmptyListThenEverything() {
        IpAllowlist list = IpAllowlist.of(List.of());
        assertThat(list.allowsAll()).isTrue();
        assertThat(list.allows("203.0.113.7")).isTrue();
        assertThat(list.allows("garbage")).isTrue();
        assertThat(IpAllowlist.of(null).allows("::1")).isTrue();
    }

    @Test
    void allowsWhenIpv4InsideCidrThenTrue() {
        IpAllowlist list = IpAllowlist.of(List.of("10.1.0.0/16"));
        assertThat(list.allows("10.1.0.0")).isTrue();
        assertThat(list.allows("10.1.255.255")).isTrue();
        assertThat(list.allows("10.1.7.9")).isTrue();
    }

    @Test
    void allowsWhenIpv4JustOutsideCidrThenFalse() {
        IpAllowlist list = IpAllowlist.of(List.of("10.1.0.0/16"));
        assertThat(list.allows("10.0.255.255")).isFalse();
        assertThat(list.allows("10.2.0.0")).isFalse();
    }

    @Test
    void allowsWhenSlash32ThenOnlyThatAddress() {
        IpAllowlist list = IpAllowlist.of(List.of("203.0.113.7/32"));
        assertThat(list.allows("203.0.113.7")).isTrue();
        assertThat(list.allows("203.0.113.8")).isFalse();
        assertThat(list.allows("203.0.113.6")).isFalse();
    }

    @Test
    void allowsWhenSingleAddressEntryThenOnlyThatAddress() {
        IpAllowlist list = IpAllowlist.of(List.of("203.0.113.7"));
        assertThat(list.allows("203.0.113.7")).isTrue();
        assertThat(list.allows("203.0.113.77")).isFalse();
    }

    @Test
    void allowsWhenSlash0ThenEveryAddressOfThatVersion() {
        assertThat(IpAllowlist.of(List.of("0.0.0.0/0")).allows("255.255.255.255")).isTrue();
        assertThat(IpAllowlist.of(List.of("0.0.0.0/0")).allows("2001:db8::1")).isFalse();
        assertThat(IpAllowlist.of(List.of("::/0")).allows("2001:db8::1")).isTrue();
        assertThat(IpAllowlist.of(List.of("::/0")).allows("10.0.0.1")).isFalse();
    }

    @Test
    void allowsWhenHostBitsSetInEntryThenWholeNetwork() {
        assertThat(IpAllowlist.of(List.of("10.0.0.1/8")).allows("10.200.0.1")).isTrue();
    }

    @Test
    void allowsWhenIpv6InsideCidrThenTrue() {
        IpAllowlist list = IpAllowlist.of(List.of("2001:db8::/32"));
        assertThat(list.allows("2001:db8::")).isTrue();
        assertThat(list.allows("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(list.allows("2001:0DB8:0:0:0:0:0:1")).isTrue();
        assertThat(list.allows("2001:db9::")).isFalse();
    }

    @Test
    void allowsWhenSlash128ThenOnlyThatAddress() {
        IpAllowlist list = IpAllowlist.of(List.of("2001:db8::1/128"));
        assertThat(list.allows("2001:db8::1")).isTrue();
        assertThat(list.allows("2001:db8::2")).isFalse();
    }

    @Test
    void allowsWhenIpv4MappedIpv6RemoteThenMatchesIpv4Cidr() {
        IpAllowlist list = IpAllowlist.of(List.of("10.0.0.0/8"));
        assertThat(list.allows("::ffff:10.1.2.3")).isTrue();
        assertThat(list.allows("::ffff:0a01:0203")).isTrue();
        assertThat(list.allows("::ffff:11.1.2.3")).isFalse();
    }

    @Test
    void allowsWhenZoneIdOrBracketsThenIgnored() {
        IpAllowlist list = IpAllowlist.of(List.of("fe80::/10", "::1"));
        assertThat(list.allows("fe80::1%eth0")).isTrue();
        assertThat(list.allows("[::1]")).isTrue();
        assertThat(list.allows("[fe80::1%25]")).isTrue();
        assertThat(list.allows("[2001:db8::1]")).isFalse();
    }

    @Test
    void allowsWhenRemoteUnparsableOrHostnameThenFalse() {
        IpAllowlist list = IpAllowlist.of(List.of("0.0.0.0/0", "::/0"));
        assertThat(list.allows("localhost")).isFalse();
        assertThat(list.allows("garbage")).isFalse();
        assertThat(list.allows("")).isFalse();
        assertThat(list.allows(null)).isFalse();
        assertThat(list.allows("10.0.0.1/8")).isFalse();
    }

    @Test
    void allowsWhenSeveralEntriesThenAnyMatches() {
        IpAllowlist list = IpAllowlist.of(List.of("192.0.2.0/24", "2001:db8::/32"));
        assertThat(list.allows("192.0.2.255")).isTrue();
        assertThat(list.allows("2001:db8::5")).isTrue();
        assertThat(list.allows("198.51.100.1")).isFalse();
    }
}
