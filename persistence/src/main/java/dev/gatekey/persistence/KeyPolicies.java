package dev.gatekey.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.gatekey.policy.IpAllowlist;
import dev.gatekey.policy.Scopes;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.CreditPolicy.Interval;
import dev.gatekey.store.KeyPolicy;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A key's policy (scopes, IP allowlist, credits) on its entity: the input checks with their field errors, the
 * columns written and read back, and the filter's {@link KeyPolicy} made from them. Scopes and CIDRs are checked
 * with the filter's own rules ({@link Scopes}, {@link IpAllowlist}), so what the services accept the filter can
 * apply.
 */
final class KeyPolicies {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private KeyPolicies() {
    }

    /** Adds the problems of the given parts (null lists and {@code checkCredits == false} are not checked). */
    static void check(List<String> scopes, List<String> allowedIps, boolean checkCredits, Credits credits,
            List<FieldError> errors) {
        Scopes.invalidList(scopes).ifPresent(message -> errors.add(new FieldError("scopes", message)));
        checkAllowedIps(allowedIps, errors);
        if (checkCredits) {
            checkCredits(credits, errors);
        }
    }

    private static void checkAllowedIps(List<String> allowedIps, List<FieldError> errors) {
        if (allowedIps == null) {
            return;
        }
        if (allowedIps.size() > IpAllowlist.MAX_ENTRIES) {
            errors.add(new FieldError("allowedIps", "at most " + IpAllowlist.MAX_ENTRIES + " addresses"));
            return;
        }
        allowedIps.stream().map(IpAllowlist::invalid).flatMap(java.util.Optional::stream).findFirst()
                .ifPresent(message -> errors.add(new FieldError("allowedIps", message)));
    }

    private static void checkCredits(Credits credits, List<FieldError> errors) {
        if (credits == null) {
            return;
        }
        if (credits.remaining() < 0) {
            errors.add(new FieldError("credits.remaining", "must be >= 0"));
        }
        Credits.Refill refill = credits.refill();
        if (refill == null) {
            return;
        }
        if (refill.interval() == null) {
            errors.add(new FieldError("credits.refill.interval", "must be daily or monthly"));
        }
        if (refill.amount() <= 0) {
            errors.add(new FieldError("credits.refill.amount", "must be > 0"));
        }
        Integer day = refill.refillDay();
        if (day != null && (refill.interval() != Interval.MONTHLY || day < 1 || day > 28)) {
            errors.add(new FieldError("credits.refill.refillDay", "must be 1..28, monthly refills only"));
        }
    }

    /** The policy of a new key (its credits generation stays 0). */
    static void setNew(ApiKeyEntity key, NewKey spec, Instant now) {
        key.scopes = toJson(spec.scopes());
        key.allowedIps = toJson(spec.allowedIps());
        writeCredits(key, spec.credits(), now);
    }

    /** Sets the scopes (empty = none); duplicates are kept once, in their first place. */
    static void setScopes(ApiKeyEntity key, List<String> scopes) {
        key.scopes = toJson(scopes);
    }

    /** Sets the allowlist (empty = anywhere); duplicates are kept once. */
    static void setAllowedIps(ApiKeyEntity key, List<String> allowedIps) {
        key.allowedIps = toJson(allowedIps);
    }

    /**
     * Replaces the credits (null = unlimited), refill rule included, dates the next refill from {@code now} and
     * moves the credits generation on.
     */
    static void setCredits(ApiKeyEntity key, Credits credits, Instant now) {
        key.creditsGeneration++;
        writeCredits(key, credits, now);
    }

    private static void writeCredits(ApiKeyEntity key, Credits credits, Instant now) {
        Credits.Refill refill = credits == null ? null : credits.refill();
        key.creditsRemaining = credits == null ? null : credits.remaining();
        key.refillInterval = refill == null ? null : refill.interval().name().toLowerCase(Locale.ROOT);
        key.refillAmount = refill == null ? null : refill.amount();
        key.refillDay = refill == null ? null : refill.refillDay();
        key.nextRefillAt = refill == null ? null : RefillSchedule.next(refill.interval(), refill.refillDay(), now);
    }

    /** Copies the whole policy (credits: as they are now, with their refill rule and next refill) to a new key. */
    static void copy(ApiKeyEntity from, ApiKeyEntity to) {
        to.scopes = from.scopes;
        to.allowedIps = from.allowedIps;
        to.creditsRemaining = from.creditsRemaining;
        to.refillInterval = from.refillInterval;
        to.refillAmount = from.refillAmount;
        to.refillDay = from.refillDay;
        to.nextRefillAt = from.nextRefillAt;
    }

    static List<String> scopesOf(ApiKeyEntity key) {
        return fromJson(key.scopes);
    }

    static List<String> allowedIpsOf(ApiKeyEntity key) {
        return fromJson(key.allowedIps);
    }

    /** The credits as stored, or null when unlimited. */
    static Credits creditsOf(ApiKeyEntity key) {
        if (key.creditsRemaining == null) {
            return null;
        }
        Credits.Refill refill = key.refillInterval == null ? null
                : new Credits.Refill(interval(key.refillInterval), key.refillAmount, key.refillDay);
        return new Credits(key.creditsRemaining, refill, refill == null ? null : key.nextRefillAt);
    }

    /** The policy as the filter's {@link dev.gatekey.store.StoredKey} carries it. */
    static KeyPolicy storePolicy(ApiKeyEntity key) {
        Credits credits = creditsOf(key);
        CreditPolicy creditPolicy = null;
        if (credits != null) {
            Credits.Refill r = credits.refill();
            creditPolicy = new CreditPolicy(credits.remaining(), key.creditsGeneration,
                    r == null ? null : new CreditPolicy.Refill(r.interval(), r.amount(), r.refillDay()),
                    credits.nextRefillAt());
        }
        return new KeyPolicy(new LinkedHashSet<>(scopesOf(key)), allowedIpsOf(key), creditPolicy);
    }

    static Interval interval(String column) {
        return Interval.valueOf(column.toUpperCase(Locale.ROOT));
    }

    private static String toJson(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(List.copyOf(new LinkedHashSet<>(values)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    private static List<String> fromJson(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return List.copyOf(Json.MAPPER.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored key policy is not a JSON array of strings", e);
        }
    }
}
