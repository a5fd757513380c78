package dev.gatekey.persistence;

import java.util.List;
import java.util.Map;

/** Changes to a consumer ({@link ConsumerService#update}); a null field stays as it is. */
public record ConsumerChanges(String description, Map<String, Object> metadata, Map<String, String> tags,
        List<String> managers) {

    /** Changes that leave the managers as they are. */
    public ConsumerChanges(String description, Map<String, Object> metadata, Map<String, String> tags) {
        this(description, metadata, tags, null);
    }
}
