package dev.gatekey.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.Credits;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the API's answers, kept apart from the persistence records they are made from. */
final class Views {

    private Views() {
    }

    /** {@code {"data":[...]}}. */
    record Listing<T>(List<T> data) {
    }

    /** {@code {"data":[...],"nextCursor":...}}, the cursor {@code null} on the last page. */
    record PageView<T>(List<T> data, String nextCursor) {
    }

    /** A key; {@code key} is left out when not shown; {@code credits} is null when unlimited. */
    record KeyView(String id, @JsonInclude(JsonInclude.Include.NON_NULL) String key, String description,
            Instant createdOn, Instant expiresOn, Instant lastUsedOn, Instant revokedOn, List<String> scopes,
            List<String> allowedIps, CreditsView credits) {

        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.key(), key.description(), key.createdOn(), key.expiresOn(),
                    key.lastUsedOn(), key.revokedOn(), key.scopes(), key.allowedIps(), CreditsView.of(key.credits()));
        }

        @Override
        public String toString() {
            return "KeyView[id=" + id + "]";
        }
    }

    /** A key's credits; {@code refill} and {@code nextRefillAt} are left out without refill. */
    record CreditsView(long remaining, @JsonInclude(JsonInclude.Include.NON_NULL) RefillView refill,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextRefillAt) {

        static CreditsView of(Credits credits) {
            if (credits == null) {
                return null;
            }
            Credits.Refill r = credits.refill();
            return new CreditsView(credits.remaining(), r == null ? null : new RefillView(
                    r.interval().name().toLowerCase(Locale.ROOT), r.amount(), r.refillDay()), credits.nextRefillAt());
        }
    }

    /** A refill rule; {@code refillDay} is left out when not set. */
    record RefillView(String interval, long amount, @JsonInclude(JsonInclude.Include.NON_NULL) Integer refillDay) {
    }

    /** A consumer; {@code apiKeys} is left out unless asked for. */
    record ConsumerView(String id, String name, String description, Map<String, Object> metadata,
            Map<String, String> tags, List<String> managers, Instant createdOn, Instant updatedOn,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<KeyView> apiKeys) {

        static ConsumerView of(Consumer c) {
            return new ConsumerView(c.id(), c.name(), c.description(), c.metadata(), c.tags(), c.managers(),
                    c.createdOn(),
                    c.updatedOn(), c.apiKeys() == null ? null : c.apiKeys().stream().map(KeyView::of).toList());
        }
    }
}
