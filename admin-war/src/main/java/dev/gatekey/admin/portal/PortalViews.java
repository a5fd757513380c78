package dev.gatekey.admin.portal;

import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.PortalSession;
import java.time.Instant;
import java.util.List;

/**
 * What the portal's JSON routes take and answer. A manager sees their consumers' names and descriptions and
 * their keys (masked, or in full once when created), never tags, metadata or other managers.
 */
final class PortalViews {

    private PortalViews() {
    }

    record ExchangeBody(String token) {
    }

    record KeyBody(String description) {
    }

    record RollBody(Long transitionSeconds, String description) {
    }

    /** The session as the page needs it; {@code csrfToken} goes into the {@code X-CSRF-Token} header of writes. */
    record SessionView(String manager, String bucket, String returnUrl, Instant expiresOn, Instant idleExpiresOn,
            String csrfToken, List<Long> transitionSeconds) {

        static SessionView of(PortalSession s, List<Long> transitions) {
            return new SessionView(s.manager(), s.bucket(), s.returnUrl(), s.expiresOn(), s.idleExpiresOn(),
                    s.csrfToken(), transitions);
        }
    }

    /** {@code state}: active, expiring (active with an expiry), expired or revoked. */
    record KeyView(String id, String key, String description, Instant createdOn, Instant expiresOn,
            Instant lastUsedOn, Instant revokedOn, String state) {

        static KeyView of(ApiKey k, Instant now) {
            String state;
            if (k.revokedOn() != null && !now.isBefore(k.revokedOn())) {
                state = "revoked";
            } else if (k.expiresOn() != null && !now.isBefore(k.expiresOn())) {
                state = "expired";
            } else {
                state = k.expiresOn() != null ? "expiring" : "active";
            }
            return new KeyView(k.id(), k.key(), k.description(), k.createdOn(), k.expiresOn(), k.lastUsedOn(),
                    k.revokedOn(), state);
        }
    }

    record ConsumerView(String name, String description, List<KeyView> keys) {

        static ConsumerView of(Consumer c, Instant now) {
            return new ConsumerView(c.name(), c.description(),
                    c.apiKeys() == null ? List.of() : c.apiKeys().stream().map(k -> KeyView.of(k, now)).toList());
        }
    }

    record ConsumersView(List<ConsumerView> data, String nextCursor) {
    }
}
