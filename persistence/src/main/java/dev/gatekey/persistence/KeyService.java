package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;
import static dev.gatekey.persistence.InputChecks.checkDescription;
import static dev.gatekey.persistence.InputChecks.checkFutureExpiry;
import static dev.gatekey.persistence.InputChecks.throwIfAny;
import static dev.gatekey.persistence.Lookups.lockConsumer;
import static dev.gatekey.persistence.Lookups.requireBucket;
import static dev.gatekey.persistence.Lookups.requireConsumer;
import static dev.gatekey.persistence.Lookups.requireKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys of a consumer: create, read, list, change, revoke and roll them, and flush every filter's cache (the
 * kill switch). Get one from {@link KeyManagement#keys()}.
 *
 * <p>Each operation runs in one transaction. Mutations that affect validation (revoke, roll, expiry change,
 * cache flush) write their change-feed rows in that same transaction; every mutation writes an audit event
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

    KeyService(Transactions transactions, Journal journal, KeyMaterial keyMaterial) {
        this.transactions = transactions;
        this.journal = journal;
        this.keyMaterial = keyMaterial;
    }

    /**
     * Creates a key for a consumer.
     *
     * @param expiresOn null = never; else it must be in the future
     * @return the key with its full text: the only time an irretrievable key is shown
     * @throws InvalidInputException for a past expiry or a too long description
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public ApiKey create(String actor, String bucketName, String consumerName, String description,
            Instant expiresOn) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        checkDescription(description, errors);
        Instant now = transactions.now();
        Instant expiry = Transactions.truncate(expiresOn);
        checkFutureExpiry(expiry, now, errors);
        throwIfAny(errors);
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            return keyMaterial.create(em, actor, bucket, consumer, description, expiry, now);
        });
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
            return keyMaterial.keysOf(em, actor, requireConsumer(em, bucket, consumerName), bucket, keyFormat);
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
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            return keyMaterial.view(em, actor, requireKey(em, consumer, keyId), bucket, keyFormat);
        });
    }

    /**
     * Changes a key's description and/or expiry; an expiry change writes a change row.
     *
     * @return the key, without its text
     * @throws InvalidInputException for a past expiry or a too long description
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
        throwIfAny(errors);
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            ApiKeyEntity key = requireKey(em, consumer, keyId);
            if (changes.description() != null) {
                key.description = changes.description();
            }
            if (changes.changeExpiry() && !Objects.equals(expiry, key.expiresOn)) {
                key.expiresOn = expiry;
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
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            ApiKeyEntity key = requireKey(em, consumer, keyId);
            if (key.revokedOn == null) {
                journal.revoke(em, actor, key, bucketName, consumerName, transactions.now());
            }
            return null;
        });
    }

    /**
     * Rolls a consumer's key: creates a new key that never expires, and lets every active key
     * expire at {@code expiresOn} unless it already expires sooner. A null, past or present
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
            ConsumerEntity consumer = lockConsumer(em, bucket, consumerName);
            // read the clock after the lock: a roll that waited must not date its changes before the one it waited for
            Instant now = transactions.now();
            boolean revokeNow = expiry == null || !expiry.isAfter(now);
            for (ApiKeyEntity key : Lookups.keysOf(em, consumer)) {
                if (!key.isActiveAt(now)) {
                    continue;
                }
                if (revokeNow) {
                    key.revokedOn = now;
                    journal.keyChanged(em, key, now);
                } else if (key.expiresOn == null || key.expiresOn.isAfter(expiry)) {
                    key.expiresOn = expiry;
                    journal.keyChanged(em, key, now);
                }
            }
            ApiKey created = keyMaterial.create(em, actor, bucket, consumer, description, null, now);
            journal.audit(em, actor, "consumer.roll-key", "consumer", consumerName,
                    "bucket=" + bucketName + " newKey=" + created.id() + " oldKeysExpireOn="
                            + (revokeNow ? "now" : expiry.toString()));
            return created;
        });
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
