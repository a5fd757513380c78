package dev.gatekey.persistence;

import java.util.Map;

/**
 * A consumer to create ({@link ConsumerService#create}).
 *
 * @param metadata JSON object (maps, lists, strings, numbers, booleans, nulls); null = empty
 * @param tags null = none
 */
public record NewConsumer(String name, String description, Map<String, Object> metadata,
        Map<String, String> tags) {

    public static NewConsumer named(String name) {
        return new NewConsumer(name, null, null, null);
    }
}
