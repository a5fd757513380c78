package dev.gatekey.persistence;

import java.util.Map;

/**
 * A page request for consumers ({@link ConsumerService#list}).
 *
 * @param limit 1..{@value KeyManagement#MAX_PAGE_SIZE}, null = {@value KeyManagement#DEFAULT_PAGE_SIZE}
 * @param cursor {@link Page#nextCursor()} of the previous page, null for the first
 * @param tags tags every returned consumer has, null or empty = no filter
 * @param includeKeys whether to fill {@link Consumer#apiKeys()}
 * @param keyFormat format of included keys, null = {@link KeyFormat#NONE}
 */
public record ConsumerQuery(Integer limit, String cursor, Map<String, String> tags, boolean includeKeys,
        KeyFormat keyFormat, String namePrefix) {

    /** A query without a name filter. */
    public ConsumerQuery(Integer limit, String cursor, Map<String, String> tags, boolean includeKeys,
            KeyFormat keyFormat) {
        this(limit, cursor, tags, includeKeys, keyFormat, null);
    }

    public static ConsumerQuery first(int limit) {
        return new ConsumerQuery(limit, null, null, false, KeyFormat.NONE);
    }
}
