package dev.gatekey.persistence;

import java.util.Map;

/**
 * Which consumers an operation may touch: those that carry every tag of {@code tags} and, when {@code manager}
 * is set, whose managers include it. A consumer outside the guard is not found ({@link NotFoundException}, a
 * 404), exactly like one that does not exist, so a multi-tenant backend that always guards with
 * {@code org=<tenant>} cannot read, change or even detect another tenant's consumers. Lists under a guard
 * show only the consumers inside it; a consumer created or changed under a guard gets the guard's tags and
 * manager. Get guarded services from {@link ConsumerService#guarded} and {@link KeyService#guarded}.
 *
 * @param tags tags the consumer must carry (key and value equal); empty = any
 * @param manager a user id the consumer's managers must contain; null = any
 */
public record ConsumerGuard(Map<String, String> tags, String manager) {

    /** No guard: every consumer of the bucket. */
    public static final ConsumerGuard NONE = new ConsumerGuard(Map.of(), null);

    public ConsumerGuard {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Consumers that carry every one of these tags. */
    public static ConsumerGuard tags(Map<String, String> tags) {
        return new ConsumerGuard(tags, null);
    }

    /** Consumers that this user manages. */
    public static ConsumerGuard manager(String manager) {
        return new ConsumerGuard(Map.of(), manager);
    }

    /** Whether the guard lets every consumer through. */
    public boolean isNone() {
        return tags.isEmpty() && manager == null;
    }

    boolean admits(ConsumerEntity consumer) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!tag.getValue().equals(consumer.tags.get(tag.getKey()))) {
                return false;
            }
        }
        return manager == null || consumer.managers.contains(manager);
    }
}
