package dev.gatekey.admin.api;

import dev.gatekey.persistence.CreditOperation;
import dev.gatekey.persistence.Credits;
import dev.gatekey.persistence.KeyChanges;
import dev.gatekey.persistence.NewKey;
import dev.gatekey.store.CreditPolicy.Interval;
import java.time.Instant;
import java.util.List;

/**
 * The request bodies of keys with their policy ({@code scopes}, {@code allowedIps}, {@code credits}) and of
 * {@code POST .../credits}, turned into the key services' records. Values are not checked here: the services
 * answer with the field errors ({@code credits.remaining}, {@code credits.refill.interval}, ...), so a missing
 * number is passed on as one they refuse with the same message, and an unknown interval or operation as null.
 */
final class KeyPolicyBodies {

    private KeyPolicyBodies() {
    }

    /** {@code POST .../keys} and {@code PATCH .../keys/{keyId}}. */
    record KeyBody(String description, Instant expiresOn, List<String> scopes, List<String> allowedIps,
            CreditsBody credits) {
    }

    /** {@code "credits": {"remaining": n, "refill"?: {...}}}. */
    record CreditsBody(Long remaining, RefillBody refill) {
    }

    /** {@code "refill": {"interval": "daily"|"monthly", "amount": n, "refillDay"?: d}}. */
    record RefillBody(String interval, Long amount, Integer refillDay) {
    }

    /** {@code POST .../keys/{keyId}/credits}: {@code {"op": "set"|"increment"|"decrement", "amount": n}}. */
    record CreditsOperationBody(String op, Long amount) {
    }

    static NewKey newKey(KeyBody body) {
        return new NewKey(body.description(), body.expiresOn(), body.scopes(), body.allowedIps(),
                credits(body.credits()));
    }

    /** Absent properties stay as they are; {@code "credits": null} is unlimited, a null list is empty. */
    static KeyChanges changes(ApiRequest r, KeyBody body) {
        KeyChanges changes = new KeyChanges(body.description(), r.bodyHas("expiresOn"), body.expiresOn());
        if (r.bodyHas("scopes")) {
            changes = changes.withScopes(body.scopes() == null ? List.of() : body.scopes());
        }
        if (r.bodyHas("allowedIps")) {
            changes = changes.withAllowedIps(body.allowedIps() == null ? List.of() : body.allowedIps());
        }
        return r.bodyHas("credits") ? changes.withCredits(credits(body.credits())) : changes;
    }

    static CreditOperation operation(String op) {
        if (op == null) {
            return null;
        }
        return switch (op) {
            case "set" -> CreditOperation.SET;
            case "increment" -> CreditOperation.INCREMENT;
            case "decrement" -> CreditOperation.DECREMENT;
            default -> null;
        };
    }

    /** A missing amount is refused by the service as a negative one ("must be >= 0"). */
    static long amount(Long amount) {
        return amount == null ? -1 : amount;
    }

    private static Credits credits(CreditsBody body) {
        if (body == null) {
            return null;
        }
        RefillBody refill = body.refill();
        return new Credits(amount(body.remaining()), refill == null ? null
                : new Credits.Refill(interval(refill.interval()), refill.amount() == null ? 0 : refill.amount(),
                        refill.refillDay()), null);
    }

    private static Interval interval(String interval) {
        if ("daily".equals(interval)) {
            return Interval.DAILY;
        }
        return "monthly".equals(interval) ? Interval.MONTHLY : null;
    }
}
