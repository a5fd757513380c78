package dev.gatekey.persistence;

import java.time.Instant;

/**
 * A portal link as {@link PortalService#open} makes it: the token to put in the portal's URL fragment
 * ({@code {admin}/portal/#<token>}), single use, valid until {@code expiresOn}. Only its SHA-256 is stored, so
 * this is the one time the token exists in full. Immutable.
 *
 * @param token 43 characters of base64url: 256 random bits
 */
public record PortalLink(String token, String bucket, String manager, String returnUrl, Instant expiresOn) {

    /** Never shows the token: records end up in logs. */
    @Override
    public String toString() {
        return "PortalLink[bucket=" + bucket + ", manager=" + manager + ", returnUrl=" + returnUrl
                + ", expiresOn=" + expiresOn + "]";
    }
}
