package dev.gatekey.store;

import java.util.List;
import java.util.Set;

/**
 * What a key may do beyond being valid: its scopes, the addresses it may be used from and its credits. Decided by
 * the filter from the cached {@link StoredKey}, without store access (credits excepted: they are spent through
 * {@link KeyStore#leaseCredits} or Redis).
 *
 * @param scopes the key's scopes ({@code ^[a-z][a-z0-9:._-]{0,63}$}, at most 32); empty for none
 * @param allowedIps IPv4/IPv6 CIDRs (at most 50) the key may be used from; empty for anywhere
 * @param credits the key's credits, or {@code null} for unlimited
 */
public record KeyPolicy(Set<String> scopes, List<String> allowedIps, CreditPolicy credits) {

    /** No scopes, any address, unlimited. */
    public static final KeyPolicy NONE = new KeyPolicy(Set.of(), List.of(), null);

    public KeyPolicy {
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
    }

    /** True when the key has no scopes, no allowlist and unlimited credits. */
    public boolean isNone() {
        return scopes.isEmpty() && allowedIps.isEmpty() && credits == null;
    }
}
