package dev.gatekey.persistence;

import java.util.List;
import java.util.Map;

/**
 * A consumer to create ({@link ConsumerService#create}).
 *
 * @param metadata JSON object (maps, lists, strings, numbers, booleans, nulls); null = empty
 * @param tags null = none
 * @param managers the application's user ids who may manage the consumer's keys (self-serve portal,
 *     {@link ConsumerGuard#manager}); null = none
 */
public record NewConsumer(String name, String description, Map<String, Object> metadata,
        Map<String, String> tags, List<String> managers) {

    /** A consumer without managers. */
    public NewConsumer(String name, String description, Map<String, Object> metadata, Map<String, String> tags) {
        this(name, description, metadata, tags, null);
    }

    public static NewConsumer named(String name) {
        return new NewConsumer(name, null, null, null, null);
    }
}
