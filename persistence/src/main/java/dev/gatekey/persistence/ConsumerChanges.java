package dev.gatekey.persistence;

import java.util.Map;

/** Changes to a consumer ({@link ConsumerService#update}); a null field stays as it is. */
public record ConsumerChanges(String description, Map<String, Object> metadata, Map<String, String> tags) {
}
