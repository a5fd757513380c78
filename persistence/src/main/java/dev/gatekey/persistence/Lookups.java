package dev.gatekey.persistence;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;

/**
 * Finds buckets, consumers and keys by their public names and ids in the caller's transaction; the
 * {@code require...} methods throw {@link NotFoundException}. A name that cannot be stored cannot exist: it is
 * not found without asking the database (PostgreSQL would refuse the query, a 503 instead of a 404).
 */
final class Lookups {

    private Lookups() {
    }

    static BucketEntity findBucket(EntityManager em, String name) {
        if (!TextChecks.isStorable(name)) {
            return null; // it cannot exist, and PostgreSQL would refuse the query (a 503 instead of a 404)
        }
        return em.createQuery("select b from Bucket b where b.name = :name", BucketEntity.class)
                .setParameter("name", name).getResultStream().findFirst().orElse(null);
    }

    static BucketEntity requireBucket(EntityManager em, String name) {
        BucketEntity bucket = name == null ? null : findBucket(em, name);
        if (bucket == null) {
            throw new NotFoundException("bucket", name);
        }
        return bucket;
    }

    /** The id of the bucket's not deleted consumer of that name, or null. */
    static Long findConsumerId(EntityManager em, BucketEntity bucket, String name) {
        if (!TextChecks.isStorable(name)) {
            return null;
        }
        return em.createQuery("select c.id from Consumer c where c.bucket = :b and c.activeName = :name", Long.class)
                .setParameter("b", bucket).setParameter("name", name)
                .getResultStream().findFirst().orElse(null);
    }

    /** The bucket's consumer of that name if it exists and the guard admits it. */
    static ConsumerEntity requireConsumer(EntityManager em, BucketEntity bucket, String name, ConsumerGuard guard) {
        Long id = name == null ? null : findConsumerId(em, bucket, name);
        ConsumerEntity consumer = id == null ? null : em.find(ConsumerEntity.class, id);
        if (consumer == null || !guard.admits(consumer)) {
            throw new NotFoundException("consumer", name);
        }
        return consumer;
    }

    /**
     * The consumer row locked FOR UPDATE until the transaction ends, if the guard admits it. The id is looked up first so
     * the locking SELECT touches one table (H2 and PostgreSQL both lock it), and a consumer deleted
     * while we waited is reported as not found.
     */
    static ConsumerEntity lockConsumer(EntityManager em, BucketEntity bucket, String name, ConsumerGuard guard) {
        Long id = name == null ? null : findConsumerId(em, bucket, name);
        if (id == null) {
            throw new NotFoundException("consumer", name);
        }
        ConsumerEntity consumer = em.find(ConsumerEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (consumer == null || consumer.deletedOn != null || !guard.admits(consumer)) {
            throw new NotFoundException("consumer", name);
        }
        return consumer;
    }

    static ApiKeyEntity requireKey(EntityManager em, ConsumerEntity consumer, String keyId) {
        ApiKeyEntity key = keyId == null || !TextChecks.isStorable(keyId) ? null : em.createQuery(
                        "select k from ApiKey k where k.publicId = :id and k.consumer = :c", ApiKeyEntity.class)
                .setParameter("id", keyId).setParameter("c", consumer)
                .getResultStream().findFirst().orElse(null);
        if (key == null) {
            throw new NotFoundException("key", keyId);
        }
        return key;
    }

    /** Every key of the consumer, oldest first. */
    static List<ApiKeyEntity> keysOf(EntityManager em, ConsumerEntity consumer) {
        return em.createQuery("select k from ApiKey k where k.consumer = :c order by k.id", ApiKeyEntity.class)
                .setParameter("c", consumer).getResultList();
    }
}
