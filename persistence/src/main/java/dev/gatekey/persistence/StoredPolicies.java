package dev.gatekey.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a key's policy columns ({@code V3__key_policies.sql}) into a {@link KeyPolicy}, for {@link JpaKeyStore}'s
 * plain JDBC look-up. The columns are {@link #COLUMNS}, in this order, starting at the given index.
 */
final class StoredPolicies {

    /** The policy columns of {@code gk_api_key k}, in the order {@link #read} expects them. */
    static final String COLUMNS = "k.scopes, k.allowed_ips, k.credits_remaining, k.credits_generation,"
            + " k.refill_interval, k.refill_amount, k.refill_day, k.next_refill_at";

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private StoredPolicies() {
    }

    /** The policy of the current row; {@link KeyPolicy#NONE} when every policy column is empty. */
    static KeyPolicy read(ResultSet row, int first) throws SQLException {
        String scopes = row.getString(first);
        String allowedIps = row.getString(first + 1);
        long remaining = row.getLong(first + 2);
        boolean unlimited = row.wasNull();
        if (scopes == null && allowedIps == null && unlimited) {
            return KeyPolicy.NONE;
        }
        CreditPolicy credits = unlimited ? null : credits(row, first, remaining);
        return new KeyPolicy(Set.copyOf(strings(scopes)), strings(allowedIps), credits);
    }

    private static CreditPolicy credits(ResultSet row, int first, long remaining) throws SQLException {
        long generation = row.getLong(first + 3);
        String interval = row.getString(first + 4);
        if (interval == null) {
            return new CreditPolicy(remaining, generation, null, null);
        }
        long amount = row.getLong(first + 5);
        int day = row.getInt(first + 6);
        Integer refillDay = row.wasNull() ? null : day;
        OffsetDateTime next = row.getObject(first + 7, OffsetDateTime.class);
        CreditPolicy.Refill refill = new CreditPolicy.Refill(interval(interval), amount, refillDay);
        return new CreditPolicy(remaining, generation, refill, next == null ? Instant.EPOCH : next.toInstant());
    }

    /** {@code daily} or {@code monthly}, as stored. */
    static CreditPolicy.Interval interval(String stored) {
        return CreditPolicy.Interval.valueOf(stored.trim().toUpperCase(Locale.ROOT));
    }

    private static List<String> strings(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored key policy is not a JSON array of strings", e);
        }
    }
}
