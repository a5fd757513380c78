package dev.gatekey.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Consumer;
import java.time.Instant;
import java.util.List;
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

    /** A key; {@code key} is left out when not shown. */
    record KeyView(String id, @JsonInclude(JsonInclude.Include.NON_NULL) String key, String description,
            Instant createdOn, Instant expiresOn, Instant lastUsedOn, Instant revokedOn) {

        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.key(), key.description(), key.createdOn(), key.expiresOn(),
                    key.lastUsedOn(), key.revokedOn());
        }

        @Override
        public String toString() {
            return "KeyView[id=" + id + "]";
        }
    }

    /** A consumer; {@code apiKeys} is left out unless asked for. */
    record ConsumerView(String id, String name, String description, Map<String, Object> metadata,
            Map<String, String> tags, Instant createdOn, Instant updatedOn,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<KeyView> apiKeys) {

        static ConsumerView of(Consumer c) {
            return new ConsumerView(c.id(), c.name(), c.description(), c.metadata(), c.tags(), c.createdOn(),
                    c.updatedOn(), c.apiKeys() == null ? null : c.apiKeys().stream().map(KeyView::of).toList());
        }
    }
}
