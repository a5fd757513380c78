package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;
import static dev.gatekey.persistence.InputChecks.checkDescription;
import static dev.gatekey.persistence.InputChecks.checkFutureExpiry;
import static dev.gatekey.persistence.InputChecks.throwIfAny;
import static dev.gatekey.persistence.Lookups.lockConsumer;
import static dev.gatekey.persistence.Lookups.requireBucket;
import static dev.gatekey.persistence.Lookups.requireConsumer;
import static dev.gatekey.persistence.Lookups.requireKey;

import dev.gatekey.policy.RefillSchedule;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The keys of a consumer: create, read, list, change, revoke and roll them, adjust their credits, and flush every
 * filter's cache (the kill switch). Get one from {@link KeyManagement#keys()}.
 *
 * <p>Each operation runs in one transaction. Mutations that affect validation (revoke, roll, expiry or policy
 * change, credit adjustment, cache flush) write their change-feed rows in that same transaction; every mutation writes an audit event
 * naming its {@code actor} (never key material or hashes), and every key shown in full
 * ({@link KeyFormat#VISIBLE}) is audited as {@value AuditService#KEY_REVEALED}.
 *
 * <p>Errors are typed: {@link InvalidInputException} (400, with field errors), {@link NotFoundException} (404),
 * {@link ConflictException} (409: visible keys of an irretrievable bucket, or no master keys for a retrievable
 * one), {@link MasterKeyException} when a visible key cannot be decrypted, and
 * {@link DatabaseUnavailableException} (503) for every failure of the database itself. Thread-safe.
 */
public final class KeyService {

    private final Transactions transactions;
    private final Journal journal;
    private final KeyMaterial keyMaterial;
    private final ConsumerGuard guard;

    KeyService(Transactions transactions, Journal journal, KeyMaterial keyMaterial, ConsumerGuard guard) {
        this.transactions = transactions;
        this.journal = journal;
        this.keyMaterial = keyMaterial;
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * This service restricted to the consumers the guard admits: every operation on the key of a consumer
     * outside it fails as if the consumer did not exist ({@link NotFoundException}).
     */
    public KeyService guarded(ConsumerGuard guard) {
        return new KeyService(transactions, journal, keyMaterial, guard == null ? ConsumerGuard.NONE : guard);
    }

    /**
     * Creates a key for a consumer, without policy.
     *
     * @param expiresOn null = never; else it must be in the future
     * @return the key with its full text: the only time an irretrievable key is shown
     * @throws InvalidInputException for a past expiry or a too long description
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public ApiKey create(String actor, String bucketName, String consumerName, String description,
            Instant expiresOn) {
        return create(actor, bucketName, consumerName, NewKey.plain().withDescription(description)
                .withExpiresOn(expiresOn));
    }

    /**
     * Creates a key for a consumer with its description, expiry and policy (scopes, IP allowlist, credits).
     *
     * @return the key with its full text: the only time an irretrievable key is shown
     * @throws InvalidInputException for a past expiry, a too long description, or a bad scope, CIDR or credits
     *     (field errors {@code scopes}, {@code allowedIps}, {@code credits.remaining},
     *     {@code credits.refill.interval}, {@code credits.refill.amount}, {@code credits.refill.refillDay})
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public ApiKey create(String actor, String bucketName, String consumerName, NewKey newKey) {
        checkActor(actor);
        Objects.requireNonNull(newKey, "newKey");
        List<FieldError> errors = new ArrayList<>();
        Instant now = transactions.now();
        Instant expiry = checkNewKey(newKey, now, errors);
        throwIfAny(errors);
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName, guard);
            return keyMaterial.create(em, actor, bucket, consumer, newKey.description(), expiry,
                    policyOf(newKey, now), now);
        });
    }

    /** Adds the problems of a key to create to {@code errors}; returns its expiry as stored. */
    static Instant checkNewKey(NewKey newKey, Instant now, List<FieldError> errors) {
        checkDescription(newKey.description(), errors);
        Instant expiry = Transactions.truncate(newKey.expiresOn());
        checkFutureExpiry(expiry, now, errors);
        KeyPolicies.check(newKey.scopes(), newKey.allowedIps(), true, newKey.credits(), errors);
        return expiry;
    }

    /** A (never persisted) key holding the new key's policy, for {@link KeyMaterial#create}. */
    static ApiKeyEntity policyOf(NewKey newKey, Instant now) {
        ApiKeyEntity policy = new ApiKeyEntity();
        KeyPolicies.setNew(policy, newKey, now);
        return policy;
    }

    /**
     * Every key of a consumer, oldest first, revoked and expired ones included.
     *
     * @throws NotFoundException when the bucket or consumer does not exist
     * @throws ConflictException for {@link KeyFormat#VISIBLE} on an irretrievable bucket
     */
    public List<ApiKey> list(String bucketName, String consumerName, KeyFormat keyFormat) {
        return list(null, bucketName, consumerName, keyFormat);
    }

    /**
     * {@link #list(String, String, KeyFormat)} on behalf of {@code actor}: each key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value AuditService#KEY_REVEALED} (its id, never its text).
     */
    public List<ApiKey> list(String actor, String bucketName, String consumerName, KeyFormat keyFormat) {
        KeyMaterial.checkRevealActor(actor, keyFormat);
        return transactions.read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            KeyMaterial.checkFormat(bucket, keyFormat);
            return keyMaterial.keysOf(em, actor, requireConsumer(em, bucket, consumerName, guard), bucket, keyFormat);
        });
    }

    /**
     * One key of a consumer.
     *
     * @throws NotFoundException when the bucket, consumer or key does not exist
     * @throws ConflictException for {@link KeyFormat#VISIBLE} on an irretrievable bucket
     */
    public ApiKey get(String bucketName, String consumerName, String keyId, KeyFormat keyFormat) {
        return get(null, bucketName, consumerName, keyId, keyFormat);
    }

    /**
     * {@link #get(String, String, String, KeyFormat)} on behalf of {@code actor}: a key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value AuditService#KEY_REVEALED} (its id, never its text).
     */
    public ApiKey get(String actor, String bucketName, String consumerName, String keyId, KeyFormat keyFormat) {
        KeyMaterial.checkRevealActor(actor, keyFormat);
        return transactions.read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            KeyMaterial.checkFormat(bucket, keyFormat);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName, guard);
            return keyMaterial.view(em, actor, requireKey(em, consumer, keyId), bucket, keyFormat);
        });
    }

    /**
     * Changes a key's description, expiry and/or policy; what {@code changes} leaves absent stays as it is. A
     * change of expiry, scopes, allowlist or credits writes a change row (every filter reloads the key); new
     * credits replace the old ones with their refill rule, date the next refill from now and move the credits
     * generation on.
     *
     * @return the key, without its text
     * @throws InvalidInputException for a past expiry, a too long description, or a bad scope, CIDR or credits
     * @throws NotFoundException when the bucket, consumer or key does not exist
     */
    public ApiKey update(String actor, String bucketName, String consumerName, String keyId, KeyChanges changes) {
        checkActor(actor);
        Objects.requireNonNull(changes, "changes");
        List<FieldError> errors = new ArrayList<>();
        checkDescription(changes.description(), errors);
        Instant now = transactions.now();
        Instant expiry = Transactions.truncate(changes.expiresOn());
        if (changes.changeExpiry()) {
            checkFutureExpiry(expiry, now, errors);
        }
        KeyPolicies.check(changes.scopes(), changes.allowedIps(), changes.changeCredits(), changes.credits(), errors);
        throwIfAny(errors);
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName, guard);
            ApiKeyEntity key = requireKey(em, consumer, keyId);
            if (changes.changeCredits()) {
                // one generation step per change, also against concurrent adjustments and leases
                em.refresh(key, LockModeType.PESSIMISTIC_WRITE);
            }
            if (changes.description() != null) {
                key.description = changes.description();
            }
            boolean changed = changes.changesPolicy();
            if (changes.changeExpiry() && !Objects.equals(expiry, key.expiresOn)) {
                key.expiresOn = expiry;
                changed = true;
            }
            if (changes.scopes() != null) {
                KeyPolicies.setScopes(key, changes.scopes());
            }
            if (changes.allowedIps() != null) {
                KeyPolicies.setAllowedIps(key, changes.allowedIps());
            }
            if (changes.changeCredits()) {
                KeyPolicies.setCredits(key, changes.credits(), now);
            }
            if (changed) {
                journal.keyChanged(em, key, now);
            }
            journal.audit(em, actor, "key.update", "key", keyId, "bucket=" + bucketName + " consumer=" + consumerName);
            return keyMaterial.view(em, null, key, bucket, KeyFormat.NONE);
        });
    }

    /**
     * Revokes a key now. Revoking a revoked key changes nothing (no change row, no audit event).
     *
     * @throws NotFoundException when the bucket, consumer or key does not exist
     */
    public void revoke(String actor, String bucketName, String consumerName, String keyId) {
        checkActor(actor);
        transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName, guard);
            ApiKeyEntity key = requireKey(em, consumer, keyId);
            if (key.revokedOn == null) {
                journal.revoke(em, actor, key, bucketName, consumerName, transactions.now());
            }
            return null;
        });
    }

    /**
     * Rolls a consumer's key: creates a new key that never expires, with the policy of the newest active key
     * (scopes, allowlist, and its credits as they are now with their refill rule and next refill), and lets every
     * active key expire at {@code expiresOn} unless it already expires sooner. A null, past or present
     * {@code expiresOn} revokes the active keys at once. Concurrent rolls of one consumer serialize
     * on a lock of its row.
     *
     * @return the new key with its full text
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public ApiKey roll(String actor, String bucketName, String consumerName, Instant expiresOn) {
        return roll(actor, bucketName, consumerName, null, expiresOn);
    }

    /**
     * Rolls a consumer's key as {@link #roll(String, String, String, Instant)} does, labelling the new key.
     *
     * @param description the new key's description (label); null for none
     * @throws InvalidInputException for a too long description
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public ApiKey roll(String actor, String bucketName, String consumerName, String description,
            Instant expiresOn) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        checkDescription(description, errors);
        throwIfAny(errors);
        Instant expiry = Transactions.truncate(expiresOn);
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = lockConsumer(em, bucket, consumerName, guard);
            // read the clock after the lock: a roll that waited must not date its changes before the one it waited for
            Instant now = transactions.now();
            boolean revokeNow = expiry == null || !expiry.isAfter(now);
            List<ApiKeyEntity> keys = Lookups.keysOf(em, consumer);
            ApiKeyEntity newest = keys.stream().filter(k -> k.isActiveAt(now)).reduce((a, b) -> b).orElse(null);
            if (newest != null && newest.creditsRemaining != null) {
                // the credits as they are now: no lease or adjustment may change them while they are copied
                em.refresh(newest, LockModeType.PESSIMISTIC_WRITE);
            }
            List<ApiKeyEntity> previous = new ArrayList<>();
            for (ApiKeyEntity key : keys) {
                if (!key.isActiveAt(now)) {
                    continue;
                }
                previous.add(key);
                if (revokeNow) {
                    key.revokedOn = now;
                    journal.keyChanged(em, key, now);
                } else if (key.expiresOn == null || key.expiresOn.isAfter(expiry)) {
                    key.expiresOn = expiry;
                    journal.keyChanged(em, key, now);
                }
            }
            ApiKey created = keyMaterial.create(em, actor, bucket, consumer, description, null, newest, now);
            journal.webhooks().keyRolled(em, requireKey(em, consumer, created.id()), previous, now);
            journal.audit(em, actor, "consumer.roll-key", "consumer", consumerName,
                    "bucket=" + bucketName + " newKey=" + created.id() + " oldKeysExpireOn="
                            + (revokeNow ? "now" : expiry.toString()));
            return created;
        });
    }

    /**
     * Adjusts a key's credits: {@link CreditOperation#SET} (an unlimited key becomes limited),
     * {@link CreditOperation#INCREMENT} or {@link CreditOperation#DECREMENT} by {@code amount}. A refill that is
     * due is applied first. Each adjustment moves the credits generation on, writes a change row and is audited
     * as {@value AuditService#KEY_CREDITS}. Concurrent adjustments of one key serialize on a lock of its row.
     *
     * @return the key, without its text
     * @throws InvalidInputException for a missing operation ({@code op}), a negative amount, or a decrement
     *     below 0 ({@code amount}: "would make remaining negative"; it is not clamped)
     * @throws ConflictException to increment or decrement unlimited credits
     * @throws NotFoundException when the bucket, consumer or key does not exist
     */
    public ApiKey adjustCredits(String actor, String bucketName, String consumerName, String keyId,
            CreditOperation op, long amount) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        if (op == null) {
            errors.add(new FieldError("op", "must be set, increment or decrement"));
        }
        if (amount < 0) {
            errors.add(new FieldError("amount", "must be >= 0"));
        }
        throwIfAny(errors);
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName, guard);
            ApiKeyEntity key = requireKey(em, consumer, keyId);
            em.refresh(key, LockModeType.PESSIMISTIC_WRITE);
            if (key.creditsRemaining == null && op != CreditOperation.SET) {
                throw new ConflictException("the key has unlimited credits");
            }
            Instant now = transactions.now();
            if (key.nextRefillAt != null && !now.isBefore(key.nextRefillAt)) {
                key.creditsRemaining = key.refillAmount;
                key.nextRefillAt = RefillSchedule.nextAfter(KeyPolicies.interval(key.refillInterval), key.refillDay, now);
            }
            key.creditsRemaining = adjusted(key.creditsRemaining, op, amount);
            key.creditsGeneration++;
            journal.keyChanged(em, key, now);
            journal.audit(em, actor, AuditService.KEY_CREDITS, "key", keyId, "bucket=" + bucketName + " consumer=" + consumerName
                    + " op=" + op.name().toLowerCase(Locale.ROOT) + " amount=" + amount
                    + " remaining=" + key.creditsRemaining);
            return keyMaterial.view(em, null, key, bucket, KeyFormat.NONE);
        });
    }

    private static long adjusted(Long remaining, CreditOperation op, long amount) {
        return switch (op) {
            case SET -> amount;
            case INCREMENT -> {
                if (remaining > Long.MAX_VALUE - amount) {
                    throw new InvalidInputException("amount", "would make remaining too large");
                }
                yield remaining + amount;
            }
            case DECREMENT -> {
                if (amount > remaining) {
                    throw new InvalidInputException("amount", "would make remaining negative");
                }
                yield remaining - amount;
            }
        };
    }

    /** The kill switch: writes a FLUSH change, so every filter drops its whole cache within a poll. */
    public void flushCaches(String actor) {
        checkActor(actor);
        transactions.write(null, em -> {
            journal.flushed(em);
            journal.audit(em, actor, "cache.flush", "cache", null, null);
            return null;
        });
    }
}
