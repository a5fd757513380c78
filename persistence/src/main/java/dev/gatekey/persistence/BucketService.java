package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;
import static dev.gatekey.persistence.InputChecks.checkDescription;
import static dev.gatekey.persistence.InputChecks.throwIfAny;
import static dev.gatekey.persistence.Lookups.findBucket;
import static dev.gatekey.persistence.Lookups.requireBucket;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.store.BucketNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Buckets: create, read, list, describe and delete them. Get one from {@link KeyManagement#buckets()}.
 *
 * <p>Each operation runs in one transaction; every mutation writes an audit event naming its {@code actor}.
 * Errors are typed: {@link InvalidInputException} (400, with field errors), {@link NotFoundException} (404),
 * {@link ConflictException} (409, including unique-constraint violations from concurrent creates) and
 * {@link DatabaseUnavailableException} (503) for every failure of the database itself. Thread-safe.
 */
public final class BucketService {

    public static final String BUCKET_NAME_REGEX = BucketNames.REGEX;


    private final Transactions transactions;
    private final Journal journal;
    private final KeyMaterial keyMaterial;

    BucketService(Transactions transactions, Journal journal, KeyMaterial keyMaterial) {
        this.transactions = transactions;
        this.journal = journal;
        this.keyMaterial = keyMaterial;
    }

    /**
     * Creates a bucket.
     *
     * @param retrievable null = true; a retrievable bucket stores its keys encrypted and needs master keys
     * @throws InvalidInputException for a bad name, prefix or description, or {@code retrievable}
     *     without master keys
     * @throws ConflictException when the name or the prefix is taken
     */
    public Bucket create(String actor, String name, String description, String keyPrefix, Boolean retrievable) {
        checkActor(actor);
        boolean isRetrievable = retrievable == null || retrievable;
        List<FieldError> errors = new ArrayList<>();
        if (!BucketNames.isValid(name)) {
            errors.add(new FieldError("name", "name must match " + BUCKET_NAME_REGEX));
        }
        if (!ApiKeyFormat.isValidPrefix(keyPrefix)) {
            errors.add(new FieldError("keyPrefix", "keyPrefix must match " + ApiKeyFormat.PREFIX_REGEX));
        }
        checkDescription(description, errors);
        if (isRetrievable && !keyMaterial.hasMasterKeys()) {
            errors.add(new FieldError("retrievable",
                    "retrievable buckets need master keys: configure them or set retrievable to false"));
        }
        throwIfAny(errors);
        return transactions.write(() -> "bucket " + name + " or key prefix " + keyPrefix + " already exists", em -> {
            if (findBucket(em, name) != null) {
                throw new ConflictException("bucket " + name + " already exists");
            }
            List<String> owners = em.createQuery("select b.name from Bucket b where b.keyPrefix = :prefix", String.class)
                    .setParameter("prefix", keyPrefix).getResultList();
            if (!owners.isEmpty()) {
                throw new ConflictException("key prefix " + keyPrefix + " is already used by bucket " + owners.get(0));
            }
            Instant now = transactions.now();
            BucketEntity bucket = new BucketEntity();
            bucket.name = name;
            bucket.description = description;
            bucket.keyPrefix = keyPrefix;
            bucket.retrievable = isRetrievable;
            bucket.createdOn = now;
            bucket.updatedOn = now;
            em.persist(bucket);
            em.flush();
            journal.audit(em, actor, "bucket.create", "bucket", name,
                    "keyPrefix=" + keyPrefix + " retrievable=" + isRetrievable);
            return Records.toBucket(bucket);
        });
    }

    /** @throws NotFoundException when there is no such bucket */
    public Bucket get(String name) {
        return transactions.read(em -> Records.toBucket(requireBucket(em, name)));
    }

    /** Every bucket, by name. */
    public List<Bucket> list() {
        return transactions.read(em -> em.createQuery("select b from Bucket b order by b.name", BucketEntity.class)
                .getResultStream().map(Records::toBucket).toList());
    }

    /**
     * Changes a bucket's description (name, prefix and retrievability are fixed).
     *
     * @throws InvalidInputException for a too long description
     * @throws NotFoundException when there is no such bucket
     */
    public Bucket update(String actor, String name, String description) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        checkDescription(description, errors);
        throwIfAny(errors);
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, name);
            bucket.description = description;
            bucket.updatedOn = transactions.now();
            journal.audit(em, actor, "bucket.update", "bucket", name, null);
            return Records.toBucket(bucket);
        });
    }

    /**
     * Deletes a bucket that has no consumers (deleted consumers and their revoked keys go with it).
     *
     * @throws NotFoundException when there is no such bucket
     * @throws ConflictException when it still has consumers
     */
    public void delete(String actor, String name) {
        checkActor(actor);
        transactions.write(() -> "bucket " + name + " still has consumers", em -> {
            BucketEntity bucket = requireBucket(em, name);
            long active = em.createQuery(
                            "select count(c) from Consumer c where c.bucket = :b and c.deletedOn is null", Long.class)
                    .setParameter("b", bucket).getSingleResult();
            if (active > 0) {
                throw new ConflictException("bucket " + name + " still has consumers");
            }
            em.createNativeQuery("DELETE FROM gk_consumer_tag WHERE consumer_id IN"
                    + " (SELECT id FROM gk_consumer WHERE bucket_id = ?1)").setParameter(1, bucket.id).executeUpdate();
            em.createNativeQuery("DELETE FROM gk_api_key WHERE consumer_id IN"
                    + " (SELECT id FROM gk_consumer WHERE bucket_id = ?1)").setParameter(1, bucket.id).executeUpdate();
            em.createNativeQuery("DELETE FROM gk_consumer WHERE bucket_id = ?1").setParameter(1, bucket.id).executeUpdate();
            em.remove(bucket);
            journal.audit(em, actor, "bucket.delete", "bucket", name, null);
            return null;
        });
    }
}
