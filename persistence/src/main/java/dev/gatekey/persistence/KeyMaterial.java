package dev.gatekey.persistence;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.store.KeyHashes;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * Key texts: generates new keys (hash, mask and, in retrievable buckets, the text encrypted with the
 * {@link MasterKeys}), and shows stored keys in a {@link KeyFormat}. Showing a key in full
 * ({@link KeyFormat#VISIBLE}) is audited as {@value AuditService#KEY_REVEALED} in the reading transaction.
 */
final class KeyMaterial {

    /** The start of an imported key's masked form; the last 4 hex digits of its hash follow. */
    static final String IMPORTED_MASK = "imported\u2026";

    private final ApiKeyFormat format;
    private final MasterKeys masterKeys;
    private final Journal journal;

    KeyMaterial(ApiKeyFormat format, MasterKeys masterKeys, Journal journal) {
        this.format = format;
        this.masterKeys = masterKeys;
        this.journal = journal;
    }

    boolean hasMasterKeys() {
        return masterKeys != null;
    }

    /**
     * A new key of the consumer, with its change row and audit event; the result holds its full text.
     *
     * @param policyOf the key whose policy (scopes, allowlist, credits) the new one gets ({@link KeyPolicies#copy}),
     *     or null for none
     */
    ApiKey create(EntityManager em, String actor, BucketEntity bucket, ConsumerEntity consumer,
            String description, Instant expiresOn, ApiKeyEntity policyOf, Instant now) {
        if (bucket.retrievable && masterKeys == null) {
            throw new ConflictException("keys of bucket " + bucket.name
                    + " are retrievable but no master keys are configured");
        }
        String text = format.generate(bucket.keyPrefix);
        ApiKeyEntity key = new ApiKeyEntity();
        key.publicId = PublicIds.next("key_");
        key.consumer = consumer;
        key.keyHash = KeyHashes.sha256Hex(text);
        key.encryptedKey = bucket.retrievable ? masterKeys.encrypt(text, key.publicId) : null;
        key.masked = ApiKeyFormat.mask(text);
        key.description = description;
        key.createdOn = now;
        key.expiresOn = expiresOn;
        if (policyOf != null) {
            KeyPolicies.copy(policyOf, key);
        }
        em.persist(key);
        // on the change feed too: the filters' known-key sets learn of it there (see KeyStore#forEachKeyHash)
        journal.keyChanged(em, key, now);
        journal.webhooks().keyCreated(em, key, now);
        journal.audit(em, actor, "key.create", "key", key.publicId,
                "bucket=" + bucket.name + " consumer=" + consumer.name);
        return record(key, text);
    }

    /**
     * An imported key (its hash only), with its change row: the filters' known-key sets learn of it, and a filter
     * that cached the hash as unknown forgets it. Audited by the caller, per import transaction.
     */
    ApiKeyEntity importHash(EntityManager em, ConsumerEntity consumer, String hash, String description,
            Instant createdOn, Instant expiresOn, Instant now) {
        ApiKeyEntity key = new ApiKeyEntity();
        key.publicId = PublicIds.next("key_");
        key.consumer = consumer;
        key.keyHash = hash;
        key.masked = IMPORTED_MASK + hash.substring(hash.length() - 4);
        key.description = description;
        key.createdOn = createdOn;
        key.expiresOn = expiresOn;
        em.persist(key);
        journal.keyChanged(em, key, now);
        journal.webhooks().keyCreated(em, key, now);
        return key;
    }

    /** Imported keys have no text to show: their masked form stands for them in every format. */
    static boolean isImported(ApiKeyEntity key) {
        return key.encryptedKey == null && key.masked.startsWith(IMPORTED_MASK);
    }

    List<ApiKey> keysOf(EntityManager em, String actor, ConsumerEntity consumer, BucketEntity bucket,
            KeyFormat keyFormat) {
        return Lookups.keysOf(em, consumer).stream().map(k -> view(em, actor, k, bucket, keyFormat)).toList();
    }

    /** The key as callers see it, its text in {@code keyFormat} (null = {@link KeyFormat#NONE}). */
    ApiKey view(EntityManager em, String actor, ApiKeyEntity key, BucketEntity bucket, KeyFormat keyFormat) {
        String text = switch (keyFormat == null ? KeyFormat.NONE : keyFormat) {
            case NONE -> null;
            case MASKED -> key.masked;
            case VISIBLE -> isImported(key) ? key.masked : reveal(em, actor, key, bucket);
        };
        return record(key, text);
    }

    private static ApiKey record(ApiKeyEntity key, String text) {
        return new ApiKey(key.publicId, text, key.description, key.createdOn, key.expiresOn, key.lastUsedOn,
                key.revokedOn, KeyPolicies.scopesOf(key), KeyPolicies.allowedIpsOf(key), KeyPolicies.creditsOf(key));
    }

    /** The key's text, audited in the reading transaction: if the audit row cannot be written, nothing is shown. */
    private String reveal(EntityManager em, String actor, ApiKeyEntity key, BucketEntity bucket) {
        checkFormat(bucket, KeyFormat.VISIBLE);
        if (key.encryptedKey == null) {
            throw new ConflictException("key " + key.publicId + " was stored without its encrypted form");
        }
        if (masterKeys == null) {
            throw new ConflictException("keys of bucket " + bucket.name + " cannot be shown: no master keys are configured");
        }
        String text = masterKeys.decrypt(key.encryptedKey, key.publicId);
        journal.audit(em, actor, AuditService.KEY_REVEALED, "key", key.publicId,
                "bucket=" + bucket.name + " consumer=" + key.consumer.name);
        return text;
    }

    /** A full key is a credential: who saw it must be on record, so showing one needs an actor. */
    static void checkRevealActor(String actor, KeyFormat keyFormat) {
        if (keyFormat == KeyFormat.VISIBLE && (actor == null || actor.isBlank() || actor.length() > InputChecks.MAX_ACTOR_LENGTH)) {
            throw new IllegalArgumentException("showing keys in full is audited: the actor must be 1 to "
                    + InputChecks.MAX_ACTOR_LENGTH + " characters");
        }
    }

    static void checkFormat(BucketEntity bucket, KeyFormat keyFormat) {
        if (keyFormat == KeyFormat.VISIBLE && !bucket.retrievable) {
            throw new ConflictException("keys of bucket " + bucket.name + " are not retrievable");
        }
    }
}
