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
 * @param apiKeys the consumer's keys, or {@code null} when they were not asked for
 */
public record Consumer(String id, String name, String description, Map<String, Object> metadata,
        Map<String, String> tags, Instant createdOn, Instant updatedOn, List<ApiKey> apiKeys) {

    public Consumer {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        apiKeys = apiKeys == null ? null : List.copyOf(apiKeys);
    }
}
