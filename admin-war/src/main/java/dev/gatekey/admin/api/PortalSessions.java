package dev.gatekey.admin.api;

import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.PortalLink;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /buckets/{bucket}/portal-sessions}: a single-use link to the self-serve portal for one manager.
 * The answer's {@code url} is the portal's URL ({@code gatekey.portalUrl}, or the admin URL the request came
 * to plus {@code /portal/}) with the token in its fragment, which browsers never send to a server or in a
 * {@code Referer}.
 */
final class PortalSessions {

    /** Where the portal is below the WAR's context path. */
    static final String PORTAL_PATH = "/portal/";

    record NewPortalSessionBody(String manager, String returnUrl, Integer expiresInSeconds) {
    }

    record PortalSessionView(String url, Instant expiresOn) {
    }

    private final KeyManagement keys;
    private final String portalUrl;

    /** @param portalUrl the portal's public URL ending in {@code /}, or null to derive it from each request */
    PortalSessions(KeyManagement keys, String portalUrl) {
        this.keys = keys;
        this.portalUrl = portalUrl;
    }

    ApiResponse open(ApiRequest r) {
        NewPortalSessionBody body = r.body(NewPortalSessionBody.class, true);
        PortalLink link = keys.portal().open(r.actor(), r.path("bucket"), body.manager(), body.returnUrl(),
                body.expiresInSeconds() == null ? null : Duration.ofSeconds(body.expiresInSeconds()));
        String base = portalUrl != null ? portalUrl : r.contextUrl() + PORTAL_PATH;
        return ApiResponse.created(new PortalSessionView(base + "#" + link.token(), link.expiresOn()), null);
    }
}
