package dev.gatekey.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A consumer: the holder of keys, the {@code sub} of requests made with them. Immutable.
 *
 * @param id public id ({@code con_...})
 * @param metadata JSON object as an unmodifiable map
 * @param tags unmodifiable string map
 * @param managers the user ids who may manage its keys, sorted; empty when none
 * @param apiKeys the consumer's keys, or {@code null} when they were not asked for
 */
public record Consumer(String id, String name, String description, Map<String, Object> metadata,
        Map<String, String> tags, List<String> managers, Instant createdOn, Instant updatedOn,
        List<ApiKey> apiKeys) {

    public Consumer {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        managers = managers == null ? List.of() : List.copyOf(managers);
        apiKeys = apiKeys == null ? null : List.copyOf(apiKeys);
    }
}
