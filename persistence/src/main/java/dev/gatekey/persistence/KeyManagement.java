package dev.gatekey.persistence;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.ChecksumMode;
import dev.gatekey.ratelimit.RateLimit;
import dev.gatekey.ratelimit.RateLimiters;
import dev.gatekey.store.Change;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStoreException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Administration of buckets, consumers and keys: every operation of the admin API.
 *
 * <p>Each operation runs in one transaction, so a failed operation leaves nothing half-written.
 * Mutations that affect validation (revoke, roll, expiry or metadata change, consumer delete,
 * cache flush) write their change-feed rows in that same transaction; every mutation writes an
 * audit event naming its {@code actor} (never key material or hashes).
 *
 * <p>Errors are typed: {@link InvalidInputException} (400, with field errors),
 * {@link NotFoundException} (404), {@link ConflictException} (409, including unique-constraint
 * violations from concurrent creates), {@link PayloadTooLargeException} (413),
 * {@link MasterKeyException} when a visible key cannot be decrypted, and
 * {@link DatabaseUnavailableException} (503) for every failure of the database itself.
 *
 * <p>Instants come from the injected {@link Clock}, truncated to microseconds (what PostgreSQL
 * stores) so values read back compare equal. Thread-safe.
 */
public final class KeyManagement {

    public static final String BUCKET_NAME_REGEX = "^[a-z0-9][a-z0-9-]{2,63}$";
    public static final String CONSUMER_NAME_REGEX = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$";
    /** The longest consumer name ({@link #CONSUMER_NAME_REGEX}). */
    public static final int MAX_CONSUMER_NAME_LENGTH = 128;
    public static final String TAG_KEY_REGEX = "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$";
    public static final int MAX_TAG_VALUE_LENGTH = 256;
    public static final int MAX_DESCRIPTION_LENGTH = 1000;
    /** Audit action of a key shown in full ({@link KeyFormat#VISIBLE}) by a read. */
    public static final String KEY_REVEALED = "key.revealed";
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    /** Longer leak urls are stored cut to this length (the replay guard still sees the whole url). */
    public static final int MAX_LEAK_URL_LENGTH = 2048;
    /** Longer leak sources and token types are stored cut to this length. */
    public static final int MAX_LEAK_LABEL_LENGTH = 128;

    private static final Pattern BUCKET_NAME = Pattern.compile(BUCKET_NAME_REGEX);
    private static final Pattern CONSUMER_NAME = Pattern.compile(CONSUMER_NAME_REGEX);
    private static final Pattern TAG_KEY = Pattern.compile(TAG_KEY_REGEX);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CURSOR_PREFIX = "v1:";
    private static final int HASH_LOOKUP_CHUNK = 500;

    /**
     * Size limits of consumer data.
     *
     * @param metadataMaxBytes largest serialized metadata (compact JSON, UTF-8), default 1024
     * @param maxTags most tags per consumer, default 10
     */
    public record Limits(int metadataMaxBytes, int maxTags) {

        public static final Limits DEFAULT = new Limits(1024, 10);

        public Limits {
            if (metadataMaxBytes < 2) {
                throw new IllegalArgumentException("metadataMaxBytes must be at least 2");
            }
            if (maxTags < 0) {
                throw new IllegalArgumentException("maxTags must not be negative");
            }
        }
    }

    /**
     * A consumer to create.
     *
     * @param metadata JSON object (maps, lists, strings, numbers, booleans, nulls); null = empty
     * @param tags null = none
     */
    public record NewConsumer(String name, String description, Map<String, Object> metadata,
            Map<String, String> tags) {

        public static NewConsumer named(String name) {
            return new NewConsumer(name, null, null, null);
        }
    }

    /** Changes to a consumer; a null field stays as it is. */
    public record ConsumerChanges(String description, Map<String, Object> metadata, Map<String, String> tags) {
    }

    /**
     * Changes to a key.
     *
     * @param description new description, or null to keep it
     * @param changeExpiry whether {@code expiresOn} applies
     * @param expiresOn new expiry (null = never), used when {@code changeExpiry}
     */
    public record KeyChanges(String description, boolean changeExpiry, Instant expiresOn) {

        public static KeyChanges description(String description) {
            return new KeyChanges(description, false, null);
        }

        public static KeyChanges expiresOn(Instant expiresOn) {
            return new KeyChanges(null, true, expiresOn);
        }
    }

    /**
     * A page request for consumers.
     *
     * @param limit 1..{@value #MAX_PAGE_SIZE}, null = {@value #DEFAULT_PAGE_SIZE}
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

    /** What to do with a leaked active key besides recording it. */
    public enum LeakAction {
        /** Record the leak and audit it; the key keeps working. */
        NOTIFY,
        /** Record, audit, and revoke the key (with its change row, so every node drops it). */
        REVOKE;

        /** {@code notify} or {@code revoke}, as configured and stored. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Whose a key is, found by its hash in any bucket; no key material.
     *
     * @param active neither revoked nor expired now, and its consumer not deleted
     */
    public record KeyOwner(String keyId, String bucket, String consumer, boolean active) {
    }

    /**
     * Where a scanner found a key.
     *
     * @param tokenType the scanner's name for the pattern that matched
     * @param url where the key was found
     * @param source the scanner's kind of place, e.g. {@code content}, {@code commit}
     */
    public record LeakReport(String tokenType, String url, String source) {

        public LeakReport {
            Objects.requireNonNull(tokenType, "tokenType");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(source, "source");
        }
    }

    private final GatekeyDatabase database;
    private final ApiKeyFormat format;
    private final MasterKeys masterKeys;
    private final Clock clock;
    private final Limits limits;

    /** With {@link Limits#DEFAULT}; {@code masterKeys} may be null (then no bucket can be retrievable). */
    public KeyManagement(GatekeyDatabase database, ApiKeyFormat format, MasterKeys masterKeys, Clock clock) {
        this(database, format, masterKeys, clock, Limits.DEFAULT);
    }

    public KeyManagement(GatekeyDatabase database, ApiKeyFormat format, MasterKeys masterKeys, Clock clock,
            Limits limits) {
        this.database = Objects.requireNonNull(database, "database");
        this.format = Objects.requireNonNull(format, "format");
        this.masterKeys = masterKeys;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The checksum mode of the keys this service creates (secret scanners need it for their pattern). */
    public ChecksumMode checksumMode() {
        return format.mode();
    }

    // ---------------------------------------------------------------- buckets

    /**
     * Creates a bucket.
     *
     * @param retrievable null = true; a retrievable bucket stores its keys encrypted and needs master keys
     * @throws InvalidInputException for a bad name, prefix or description, or {@code retrievable}
     *     without master keys
     * @throws ConflictException when the name or the prefix is taken
     */
    public Bucket createBucket(String actor, String name, String description, String keyPrefix, Boolean retrievable) {
        checkActor(actor);
        boolean isRetrievable = retrievable == null || retrievable;
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !BUCKET_NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "name must match " + BUCKET_NAME_REGEX));
        }
        if (!ApiKeyFormat.isValidPrefix(keyPrefix)) {
            errors.add(new FieldError("keyPrefix", "keyPrefix must match " + ApiKeyFormat.PREFIX_REGEX));
        }
        checkDescription(description, errors);
        if (isRetrievable && masterKeys == null) {
            errors.add(new FieldError("retrievable",
                    "retrievable buckets need master keys: configure them or set retrievable to false"));
        }
        throwIfAny(errors);
        return write(() -> "bucket " + name + " or key prefix " + keyPrefix + " already exists", em -> {
            if (findBucket(em, name) != null) {
                throw new ConflictException("bucket " + name + " already exists");
            }
            List<String> owners = em.createQuery("select b.name from Bucket b where b.keyPrefix = :prefix", String.class)
                    .setParameter("prefix", keyPrefix).getResultList();
            if (!owners.isEmpty()) {
                throw new ConflictException("key prefix " + keyPrefix + " is already used by bucket " + owners.get(0));
            }
            Instant now = now();
            BucketEntity bucket = new BucketEntity();
            bucket.name = name;
            bucket.description = description;
            bucket.keyPrefix = keyPrefix;
            bucket.retrievable = isRetrievable;
            bucket.createdOn = now;
            bucket.updatedOn = now;
            em.persist(bucket);
            em.flush();
            audit(em, actor, "bucket.create", "bucket", name, "keyPrefix=" + keyPrefix + " retrievable=" + isRetrievable);
            return toBucket(bucket);
        });
    }

    /** @throws NotFoundException when there is no such bucket */
    public Bucket getBucket(String name) {
        return read(em -> toBucket(requireBucket(em, name)));
    }

    /** Every bucket, by name. */
    public List<Bucket> listBuckets() {
        return read(em -> em.createQuery("select b from Bucket b order by b.name", BucketEntity.class)
                .getResultStream().map(KeyManagement::toBucket).toList());
    }

    /**
     * Changes a bucket's description (name, prefix and retrievability are fixed).
     *
     * @throws InvalidInputException for a too long description
     * @throws NotFoundException when there is no such bucket
     */
    public Bucket updateBucket(String actor, String name, String description) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        checkDescription(description, errors);
        throwIfAny(errors);
        return write(null, em -> {
            BucketEntity bucket = requireBucket(em, name);
            bucket.description = description;
            bucket.updatedOn = now();
            audit(em, actor, "bucket.update", "bucket", name, null);
            return toBucket(bucket);
        });
    }

    /**
     * Deletes a bucket that has no consumers (deleted consumers and their revoked keys go with it).
     *
     * @throws NotFoundException when there is no such bucket
     * @throws ConflictException when it still has consumers
     */
    public void deleteBucket(String actor, String name) {
        checkActor(actor);
        write(() -> "bucket " + name + " still has consumers", em -> {
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
            audit(em, actor, "bucket.delete", "bucket", name, null);
            return null;
        });
    }

    // ---------------------------------------------------------------- consumers

    /**
     * Creates a consumer, and with {@code withApiKey} its first key.
     *
     * @return the consumer; with {@code withApiKey} its {@link Consumer#apiKeys()} holds the new key,
     *     visible (the only time an irretrievable key is shown), else {@code apiKeys} is null
     * @throws InvalidInputException for a bad name, description or tags
     * @throws PayloadTooLargeException when the metadata is over its byte limit
     * @throws NotFoundException when there is no such bucket
     * @throws ConflictException when the bucket has a consumer of that name
     */
    public Consumer createConsumer(String actor, String bucketName, NewConsumer consumer, boolean withApiKey) {
        checkActor(actor);
        Objects.requireNonNull(consumer, "consumer");
        List<FieldError> errors = new ArrayList<>();
        String name = consumer.name();
        if (name == null || !CONSUMER_NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "name must match " + CONSUMER_NAME_REGEX));
        }
        checkDescription(consumer.description(), errors);
        checkTags(consumer.tags(), errors);
        String metadataJson = metadataJson(consumer.metadata() == null ? Map.of() : consumer.metadata(), errors);
        throwIfAny(errors);
        checkMetadataSize(metadataJson);
        return write(() -> "consumer " + name + " already exists in bucket " + bucketName, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            if (findConsumerId(em, bucket, name) != null) {
                throw new ConflictException("consumer " + name + " already exists in bucket " + bucketName);
            }
            Instant now = now();
            ConsumerEntity entity = new ConsumerEntity();
            entity.publicId = PublicIds.next("con_");
            entity.bucket = bucket;
            entity.name = name;
            entity.activeName = name;
            entity.description = consumer.description();
            entity.metadataJson = metadataJson;
            if (consumer.tags() != null) {
                entity.tags.putAll(consumer.tags());
            }
            entity.createdOn = now;
            entity.updatedOn = now;
            em.persist(entity);
            // the unique (bucket, active_name) check fires here, inside the mapped conflict
            em.flush();
            audit(em, actor, "consumer.create", "consumer", name, "bucket=" + bucketName);
            List<ApiKey> keys = null;
            if (withApiKey) {
                keys = List.of(createKey(em, actor, bucket, entity, null, null, now));
            }
            return toConsumer(entity, keys);
        });
    }

    /**
     * A consumer, with its keys in {@code keyFormat} when {@code includeKeys}.
     *
     * @throws NotFoundException when the bucket or consumer does not exist (deleted consumers do not)
     * @throws ConflictException for {@link KeyFormat#VISIBLE} keys of an irretrievable bucket
     */
    public Consumer getConsumer(String bucketName, String name, boolean includeKeys, KeyFormat keyFormat) {
        return getConsumer(null, bucketName, name, includeKeys, keyFormat);
    }

    /**
     * {@link #getConsumer(String, String, boolean, KeyFormat)} on behalf of {@code actor}: each key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value #KEY_REVEALED} (its id, never its text).
     */
    public Consumer getConsumer(String actor, String bucketName, String name, boolean includeKeys,
            KeyFormat keyFormat) {
        checkRevealActor(actor, includeKeys ? keyFormat : KeyFormat.NONE);
        return read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            if (includeKeys) {
                checkFormat(bucket, keyFormat);
            }
            ConsumerEntity consumer = requireConsumer(em, bucket, name);
            return toConsumer(consumer, includeKeys ? keysOf(em, actor, consumer, bucket, keyFormat) : null);
        });
    }

    /**
     * Changes a consumer's description, metadata and/or tags. A metadata change writes a change row
     * for every key of the consumer, so caches drop the old metadata.
     *
     * @return the consumer, without keys
     * @throws InvalidInputException for a bad description or tags
     * @throws PayloadTooLargeException when the metadata is over its byte limit
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public Consumer updateConsumer(String actor, String bucketName, String name, ConsumerChanges changes) {
        checkActor(actor);
        Objects.requireNonNull(changes, "changes");
        List<FieldError> errors = new ArrayList<>();
        checkDescription(changes.description(), errors);
        checkTags(changes.tags(), errors);
        String metadataJson = changes.metadata() == null ? null : metadataJson(changes.metadata(), errors);
        throwIfAny(errors);
        if (metadataJson != null) {
            checkMetadataSize(metadataJson);
        }
        return write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, name);
            if (changes.description() != null) {
                consumer.description = changes.description();
            }
            if (changes.tags() != null) {
                consumer.tags.clear();
                consumer.tags.putAll(changes.tags());
            }
            Instant now = now();
            if (metadataJson != null && !metadataJson.equals(consumer.metadataJson)) {
                consumer.metadataJson = metadataJson;
                for (ApiKeyEntity key : keyEntities(em, consumer)) {
                    keyChanged(em, key, now);
                }
            }
            consumer.updatedOn = now;
            audit(em, actor, "consumer.update", "consumer", name, "bucket=" + bucketName);
            return toConsumer(consumer, null);
        });
    }

    /**
     * Deletes a consumer: every key it has is revoked now (with change rows) and its name is free
     * for a new consumer. The rows stay, so its keys keep answering "revoked".
     *
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public void deleteConsumer(String actor, String bucketName, String name) {
        checkActor(actor);
        write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = lockConsumer(em, bucket, name);
            Instant now = now();
            for (ApiKeyEntity key : keyEntities(em, consumer)) {
                if (key.revokedOn == null) {
                    key.revokedOn = now;
                }
                keyChanged(em, key, now);
            }
            consumer.deletedOn = now;
            consumer.activeName = null;
            consumer.updatedOn = now;
            audit(em, actor, "consumer.delete", "consumer", name, "bucket=" + bucketName);
            return null;
        });
    }

    /**
     * One page of a bucket's consumers in creation order (keyset pagination on the internal id), optionally
     * only those whose name starts with {@link ConsumerQuery#namePrefix} (case-sensitive, like names) and that
     * carry every tag of {@link ConsumerQuery#tags}.
     *
     * @throws InvalidInputException for a limit outside 1..{@value #MAX_PAGE_SIZE} (field {@code limit}),
     *     a cursor this method did not make (field {@code cursor}) or a name prefix longer than a name
     *     (field {@code name-prefix})
     * @throws NotFoundException when there is no such bucket
     * @throws ConflictException for {@link KeyFormat#VISIBLE} keys of an irretrievable bucket
     */
    public Page<Consumer> listConsumers(String bucketName, ConsumerQuery query) {
        return listConsumers(null, bucketName, query);
    }

    /**
     * {@link #listConsumers(String, ConsumerQuery)} on behalf of {@code actor}: each key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value #KEY_REVEALED} (its id, never its text).
     */
    public Page<Consumer> listConsumers(String actor, String bucketName, ConsumerQuery query) {
        Objects.requireNonNull(query, "query");
        checkRevealActor(actor, query.includeKeys() ? query.keyFormat() : KeyFormat.NONE);
        int limit = checkLimit(query.limit());
        long after = decodeCursor(query.cursor());
        Map<String, String> tagFilter = query.tags() == null ? Map.of() : query.tags();
        String namePrefix = query.namePrefix() == null || query.namePrefix().isEmpty() ? null : query.namePrefix();
        if (namePrefix != null && namePrefix.length() > MAX_CONSUMER_NAME_LENGTH) {
            throw new InvalidInputException("name-prefix", "must be at most " + MAX_CONSUMER_NAME_LENGTH + " characters");
        }
        if (!TextChecks.isStorable(namePrefix)) {
            throw new InvalidInputException("name-prefix", TextChecks.UNSTORABLE);
        }
        for (Map.Entry<String, String> tag : tagFilter.entrySet()) {
            if (!TextChecks.isStorable(tag.getKey()) || !TextChecks.isStorable(tag.getValue())) {
                throw new InvalidInputException("tag." + TextChecks.replaceUnstorable(tag.getKey()),
                        TextChecks.UNSTORABLE);
            }
        }
        return read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            if (query.includeKeys()) {
                checkFormat(bucket, query.keyFormat());
            }
            StringBuilder sql = new StringBuilder(
                    "SELECT c.id FROM gk_consumer c WHERE c.bucket_id = ?1 AND c.deleted_on IS NULL AND c.id > ?2");
            int parameter = 3;
            if (namePrefix != null) {
                sql.append(" AND c.name LIKE ?").append(parameter++).append(" ESCAPE '\\'");
            }
            for (int i = 0; i < tagFilter.size(); i++) {
                // the repeated "> after" lets the tag index range-scan from the cursor instead of from its start
                sql.append(" AND EXISTS (SELECT 1 FROM gk_consumer_tag t WHERE t.consumer_id = c.id AND t.consumer_id > ?2")
                        .append(" AND t.tag_key = ?").append(parameter++)
                        .append(" AND t.tag_value = ?").append(parameter++).append(')');
            }
            sql.append(" ORDER BY c.id");
            var idQuery = em.createNativeQuery(sql.toString(), Long.class)
                    .setParameter(1, bucket.id)
                    .setParameter(2, after)
                    .setMaxResults(limit + 1);
            parameter = 3;
            if (namePrefix != null) {
                idQuery.setParameter(parameter++, likePrefix(namePrefix));
            }
            for (Map.Entry<String, String> tag : tagFilter.entrySet()) {
                idQuery.setParameter(parameter++, tag.getKey());
                idQuery.setParameter(parameter++, tag.getValue());
            }
            List<Long> ids = new ArrayList<>();
            for (Object id : idQuery.getResultList()) {
                ids.add(((Number) id).longValue());
            }
            boolean more = ids.size() > limit;
            if (more) {
                ids = ids.subList(0, limit);
            }
            if (ids.isEmpty()) {
                return new Page<Consumer>(List.of(), null);
            }
            List<ConsumerEntity> consumers = em.createQuery(
                            "select c from Consumer c where c.id in :ids order by c.id", ConsumerEntity.class)
                    .setParameter("ids", ids).getResultList();
            Map<Long, List<ApiKey>> keys = new HashMap<>();
            if (query.includeKeys()) {
                for (ApiKeyEntity key : em.createQuery(
                                "select k from ApiKey k where k.consumer.id in :ids order by k.id", ApiKeyEntity.class)
                        .setParameter("ids", ids).getResultList()) {
                    keys.computeIfAbsent(key.consumer.id, id -> new ArrayList<>())
                            .add(toApiKey(em, actor, key, bucket, query.keyFormat()));
                }
            }
            List<Consumer> data = new ArrayList<>(consumers.size());
            for (ConsumerEntity consumer : consumers) {
                data.add(toConsumer(consumer,
                        query.includeKeys() ? keys.getOrDefault(consumer.id, List.of()) : null));
            }
            return new Page<>(data, more ? encodeCursor(ids.get(ids.size() - 1)) : null);
        });
    }

    /** The LIKE pattern (escape character: backslash) of names starting with {@code prefix}, taken literally. */
    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '%';
    }

    // ---------------------------------------------------------------- keys

    /**
     * Creates a key for a consumer.
     *
     * @param expiresOn null = never; else it must be in the future
     * @return the key with its full text: the only time an irretrievable key is shown
     * @throws InvalidInputException for a past expiry or a too long description
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public ApiKey createKey(String actor, String bucketName, String consumerName, String description,
            Instant expiresOn) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        checkDescription(description, errors);
        Instant now = now();
        Instant expiry = truncate(expiresOn);
        checkFutureExpiry(expiry, now, errors);
        throwIfAny(errors);
        return write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            return createKey(em, actor, bucket, consumer, description, expiry, now);
        });
    }

    /**
     * Every key of a consumer, oldest first, revoked and expired ones included.
     *
     * @throws NotFoundException when the bucket or consumer does not exist
     * @throws ConflictException for {@link KeyFormat#VISIBLE} on an irretrievable bucket
     */
    public List<ApiKey> listKeys(String bucketName, String consumerName, KeyFormat keyFormat) {
        return listKeys(null, bucketName, consumerName, keyFormat);
    }

    /**
     * {@link #listKeys(String, String, KeyFormat)} on behalf of {@code actor}: each key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value #KEY_REVEALED} (its id, never its text).
     */
    public List<ApiKey> listKeys(String actor, String bucketName, String consumerName, KeyFormat keyFormat) {
        checkRevealActor(actor, keyFormat);
        return read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            checkFormat(bucket, keyFormat);
            return keysOf(em, actor, requireConsumer(em, bucket, consumerName), bucket, keyFormat);
        });
    }

    /**
     * One key of a consumer.
     *
     * @throws NotFoundException when the bucket, consumer or key does not exist
     * @throws ConflictException for {@link KeyFormat#VISIBLE} on an irretrievable bucket
     */
    public ApiKey getKey(String bucketName, String consumerName, String keyId, KeyFormat keyFormat) {
        return getKey(null, bucketName, consumerName, keyId, keyFormat);
    }

    /**
     * {@link #getKey(String, String, String, KeyFormat)} on behalf of {@code actor}: a key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value #KEY_REVEALED} (its id, never its text).
     */
    public ApiKey getKey(String actor, String bucketName, String consumerName, String keyId, KeyFormat keyFormat) {
        checkRevealActor(actor, keyFormat);
        return read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            checkFormat(bucket, keyFormat);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            return toApiKey(em, actor, requireKey(em, consumer, keyId), bucket, keyFormat);
        });
    }

    /**
     * Changes a key's description and/or expiry; an expiry change writes a change row.
     *
     * @return the key, without its text
     * @throws InvalidInputException for a past expiry or a too long description
     * @throws NotFoundException when the bucket, consumer or key does not exist
     */
    public ApiKey updateKey(String actor, String bucketName, String consumerName, String keyId, KeyChanges changes) {
        checkActor(actor);
        Objects.requireNonNull(changes, "changes");
        List<FieldError> errors = new ArrayList<>();
        checkDescription(changes.description(), errors);
        Instant now = now();
        Instant expiry = truncate(changes.expiresOn());
        if (changes.changeExpiry()) {
            checkFutureExpiry(expiry, now, errors);
        }
        throwIfAny(errors);
        return write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            ApiKeyEntity key = requireKey(em, consumer, keyId);
            if (changes.description() != null) {
                key.description = changes.description();
            }
            if (changes.changeExpiry() && !Objects.equals(expiry, key.expiresOn)) {
                key.expiresOn = expiry;
                keyChanged(em, key, now);
            }
            audit(em, actor, "key.update", "key", keyId, "bucket=" + bucketName + " consumer=" + consumerName);
            return toApiKey(em, null, key, bucket, KeyFormat.NONE);
        });
    }

    /**
     * Revokes a key now. Revoking a revoked key changes nothing (no change row, no audit event).
     *
     * @throws NotFoundException when the bucket, consumer or key does not exist
     */
    public void revokeKey(String actor, String bucketName, String consumerName, String keyId) {
        checkActor(actor);
        write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, consumerName);
            ApiKeyEntity key = requireKey(em, consumer, keyId);
            if (key.revokedOn == null) {
                revoke(em, actor, key, bucketName, consumerName, now());
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
    public ApiKey rollKey(String actor, String bucketName, String consumerName, Instant expiresOn) {
        return rollKey(actor, bucketName, consumerName, null, expiresOn);
    }

    /**
     * Rolls a consumer's key as {@link #rollKey(String, String, String, Instant)} does, labelling the new key.
     *
     * @param description the new key's description (label); null for none
     * @throws InvalidInputException for a too long description
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public ApiKey rollKey(String actor, String bucketName, String consumerName, String description,
            Instant expiresOn) {
        checkActor(actor);
        List<FieldError> errors = new ArrayList<>();
        checkDescription(description, errors);
        throwIfAny(errors);
        Instant expiry = truncate(expiresOn);
        return write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = lockConsumer(em, bucket, consumerName);
            // read the clock after the lock: a roll that waited must not date its changes before the one it waited for
            Instant now = now();
            boolean revokeNow = expiry == null || !expiry.isAfter(now);
            for (ApiKeyEntity key : keyEntities(em, consumer)) {
                if (!key.isActiveAt(now)) {
                    continue;
                }
                if (revokeNow) {
                    key.revokedOn = now;
                    keyChanged(em, key, now);
                } else if (key.expiresOn == null || key.expiresOn.isAfter(expiry)) {
                    key.expiresOn = expiry;
                    keyChanged(em, key, now);
                }
            }
            ApiKey created = createKey(em, actor, bucket, consumer, description, null, now);
            audit(em, actor, "consumer.roll-key", "consumer", consumerName,
                    "bucket=" + bucketName + " newKey=" + created.id() + " oldKeysExpireOn="
                            + (revokeNow ? "now" : expiry.toString()));
            return created;
        });
    }

    // ---------------------------------------------------------------- cache and audit

    /** The kill switch: writes a FLUSH change, so every filter drops its whole cache within a poll. */
    public void flushCaches(String actor) {
        checkActor(actor);
        write(null, em -> {
            ChangeEntity change = new ChangeEntity();
            change.type = Change.Type.FLUSH.name();
            change.createdOn = now();
            em.persist(change);
            audit(em, actor, "cache.flush", "cache", null, null);
            return null;
        });
    }

    /**
     * Audit events, newest first, keyset paginated.
     *
     * @throws InvalidInputException for a bad limit or cursor
     */
    public Page<AuditEvent> auditEvents(Integer limit, String cursor) {
        return newestFirst("AuditEvent", AuditEventEntity.class, limit, cursor, a -> a.id,
                a -> new AuditEvent(a.id, a.actor, a.action, a.targetType, a.targetId, a.detail, a.createdOn));
    }

    /**
     * One page of an append-only entity, newest first: keyset pagination on its id, the cursor being the last
     * id of the previous page.
     */
    private <E, T> Page<T> newestFirst(String entity, Class<E> type, Integer limit, String cursor,
            ToLongFunction<E> id, Function<E, T> view) {
        int pageSize = checkLimit(limit);
        long before = cursor == null ? Long.MAX_VALUE : decodeCursor(cursor);
        return read(em -> {
            List<E> rows = em.createQuery("select e from " + entity + " e where e.id < :before order by e.id desc",
                            type)
                    .setParameter("before", before)
                    .setMaxResults(pageSize + 1)
                    .getResultList();
            boolean more = rows.size() > pageSize;
            List<E> page = rows.subList(0, Math.min(pageSize, rows.size()));
            return new Page<>(page.stream().map(view).toList(),
                    more ? encodeCursor(id.applyAsLong(page.get(page.size() - 1))) : null);
        });
    }

    // ---------------------------------------------------------------- leaks

    /**
     * The keys of any bucket with these hashes ({@link dev.gatekey.store.KeyHashes#sha256Hex}), by hash; hashes
     * of no key are absent. One query per 500 hashes.
     */
    public Map<String, KeyOwner> findKeysByHash(Collection<String> keyHashes) {
        List<String> hashes = keyHashes.stream().distinct().toList();
        return read(em -> {
            Instant now = now();
            Map<String, KeyOwner> found = new HashMap<>();
            for (int from = 0; from < hashes.size(); from += HASH_LOOKUP_CHUNK) {
                List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + HASH_LOOKUP_CHUNK));
                for (ApiKeyEntity key : em.createQuery("select k from ApiKey k join fetch k.consumer c"
                                + " join fetch c.bucket where k.keyHash in :hashes", ApiKeyEntity.class)
                        .setParameter("hashes", chunk).getResultList()) {
                    ConsumerEntity consumer = key.consumer;
                    found.put(key.keyHash, new KeyOwner(key.publicId, consumer.bucket.name, consumer.name,
                            key.isActiveAt(now) && consumer.deletedOn == null));
                }
            }
            return found;
        });
    }

    /**
     * Records that the key with this hash leaked, in one transaction: the leak record, the audit event
     * {@code key.leaked} and, with {@link LeakAction#REVOKE}, the revocation (audit event {@code key.revoke} and
     * its change row). Only active keys are recorded; a report already recorded for this key, url and source
     * (a replay, or a duplicate within one batch) changes nothing.
     *
     * @return the new record, or empty when nothing was recorded (unknown or inactive key, or a replay)
     */
    public Optional<Leak> recordLeak(String actor, String keyHash, LeakReport report, LeakAction action) {
        checkActor(actor);
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(action, "action");
        try {
            return write(null, em -> {
                ApiKeyEntity key = em.createQuery("select k from ApiKey k join fetch k.consumer c join fetch c.bucket"
                                + " where k.keyHash = :hash", ApiKeyEntity.class)
                        .setParameter("hash", keyHash).getResultStream().findFirst().orElse(null);
                Instant now = now();
                if (key == null || !key.isActiveAt(now) || key.consumer.deletedOn != null) {
                    return Optional.<Leak>empty();
                }
                String digest = reportDigest(key.publicId, report);
                boolean seen = !em.createQuery("select l.id from Leak l where l.reportDigest = :digest", Long.class)
                        .setParameter("digest", digest).getResultList().isEmpty();
                if (seen) {
                    return Optional.<Leak>empty();
                }
                ConsumerEntity consumer = key.consumer;
                LeakEntity leak = new LeakEntity();
                leak.keyId = key.publicId;
                leak.bucket = consumer.bucket.name;
                leak.consumer = consumer.name;
                leak.tokenType = cut(report.tokenType(), MAX_LEAK_LABEL_LENGTH);
                leak.url = cut(report.url(), MAX_LEAK_URL_LENGTH);
                leak.source = cut(report.source(), MAX_LEAK_LABEL_LENGTH);
                leak.action = action.value();
                leak.foundOn = now;
                leak.reportDigest = digest;
                em.persist(leak);
                // a concurrent identical report fails here, before it revokes or audits anything
                em.flush();
                audit(em, actor, "key.leaked", "key", key.publicId, "bucket=" + leak.bucket + " consumer="
                        + leak.consumer + " source=" + leak.source + " action=" + leak.action);
                if (action == LeakAction.REVOKE) {
                    revoke(em, actor, key, leak.bucket, leak.consumer, now);
                }
                return Optional.of(toLeak(leak));
            });
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                // the same report, recorded by a concurrent request: this one rolled back entirely
                return Optional.empty();
            }
            throw e instanceof GatekeyException typed ? typed : unavailable(e);
        }
    }

    /**
     * Leak records, newest first, keyset paginated.
     *
     * @throws InvalidInputException for a bad limit or cursor
     */
    public Page<Leak> listLeaks(Integer limit, String cursor) {
        return newestFirst("Leak", LeakEntity.class, limit, cursor, l -> l.id, KeyManagement::toLeak);
    }

    private static Leak toLeak(LeakEntity l) {
        return new Leak(l.id, l.keyId, l.bucket, l.consumer, l.tokenType, l.url, l.source, l.action, l.foundOn);
    }

    /** Length-prefixed, so no url/source split of the same characters collides. */
    private static String reportDigest(String keyId, LeakReport report) {
        return KeyHashes.sha256Hex(keyId + "\n" + report.url().length() + ":" + report.url() + "\n" + report.source());
    }

    /**
     * At most {@code length} characters, without splitting a surrogate pair, and with NUL and unpaired surrogates
     * (which PostgreSQL refuses) replaced: a leak report is recorded whatever a scanner sends.
     */
    private static String cut(String value, int length) {
        String clean = TextChecks.replaceUnstorable(value);
        if (clean.length() <= length) {
            return clean;
        }
        int end = length - 1;
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end) + "…";
    }

    // ---------------------------------------------------------------- internals

    /** Revokes an active key: the change row lets every filter drop it within a poll. */
    private void revoke(EntityManager em, String actor, ApiKeyEntity key, String bucketName, String consumerName,
            Instant now) {
        key.revokedOn = now;
        keyChanged(em, key, now);
        audit(em, actor, "key.revoke", "key", key.publicId, "bucket=" + bucketName + " consumer=" + consumerName);
    }

    private ApiKey createKey(EntityManager em, String actor, BucketEntity bucket, ConsumerEntity consumer,
            String description, Instant expiresOn, Instant now) {
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
        em.persist(key);
        // on the change feed too: the filters' known-key sets learn of it there (see KeyStore#forEachKeyHash)
        keyChanged(em, key, now);
        audit(em, actor, "key.create", "key", key.publicId, "bucket=" + bucket.name + " consumer=" + consumer.name);
        return new ApiKey(key.publicId, text, key.description, key.createdOn, key.expiresOn, null, null);
    }

    private void keyChanged(EntityManager em, ApiKeyEntity key, Instant now) {
        ChangeEntity change = new ChangeEntity();
        change.type = Change.Type.KEY.name();
        change.keyHash = key.keyHash;
        change.createdOn = now;
        em.persist(change);
    }

    private void audit(EntityManager em, String actor, String action, String targetType, String targetId,
            String detail) {
        AuditEventEntity event = new AuditEventEntity();
        event.actor = actor;
        event.action = action;
        event.targetType = targetType;
        event.targetId = targetId;
        event.detail = detail;
        event.createdOn = now();
        em.persist(event);
    }

    private List<ApiKey> keysOf(EntityManager em, String actor, ConsumerEntity consumer, BucketEntity bucket,
            KeyFormat keyFormat) {
        return keyEntities(em, consumer).stream().map(k -> toApiKey(em, actor, k, bucket, keyFormat)).toList();
    }

    private static List<ApiKeyEntity> keyEntities(EntityManager em, ConsumerEntity consumer) {
        return em.createQuery("select k from ApiKey k where k.consumer = :c order by k.id", ApiKeyEntity.class)
                .setParameter("c", consumer).getResultList();
    }

    private ApiKey toApiKey(EntityManager em, String actor, ApiKeyEntity key, BucketEntity bucket,
            KeyFormat keyFormat) {
        String text = switch (keyFormat == null ? KeyFormat.NONE : keyFormat) {
            case NONE -> null;
            case MASKED -> key.masked;
            case VISIBLE -> reveal(em, actor, key, bucket);
        };
        return new ApiKey(key.publicId, text, key.description, key.createdOn, key.expiresOn, key.lastUsedOn,
                key.revokedOn);
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
        audit(em, actor, KEY_REVEALED, "key", key.publicId, "bucket=" + bucket.name + " consumer=" + key.consumer.name);
        return text;
    }

    /** A full key is a credential: who saw it must be on record, so showing one needs an actor. */
    private static void checkRevealActor(String actor, KeyFormat keyFormat) {
        if (keyFormat == KeyFormat.VISIBLE && (actor == null || actor.isBlank() || actor.length() > 256)) {
            throw new IllegalArgumentException("showing keys in full is audited: the actor must be 1 to 256 characters");
        }
    }

    private static void checkFormat(BucketEntity bucket, KeyFormat keyFormat) {
        if (keyFormat == KeyFormat.VISIBLE && !bucket.retrievable) {
            throw new ConflictException("keys of bucket " + bucket.name + " are not retrievable");
        }
    }

    private static Bucket toBucket(BucketEntity b) {
        return new Bucket(b.name, b.description, b.keyPrefix, b.retrievable, b.createdOn, b.updatedOn);
    }

    private static Consumer toConsumer(ConsumerEntity c, List<ApiKey> keys) {
        return new Consumer(c.publicId, c.name, c.description,
                Collections.unmodifiableMap(new LinkedHashMap<>(Json.parseObject(c.metadataJson))),
                new HashMap<>(c.tags), c.createdOn, c.updatedOn, keys);
    }

    private static BucketEntity findBucket(EntityManager em, String name) {
        if (!TextChecks.isStorable(name)) {
            return null; // it cannot exist, and PostgreSQL would refuse the query (a 503 instead of a 404)
        }
        return em.createQuery("select b from Bucket b where b.name = :name", BucketEntity.class)
                .setParameter("name", name).getResultStream().findFirst().orElse(null);
    }

    private static BucketEntity requireBucket(EntityManager em, String name) {
        BucketEntity bucket = name == null ? null : findBucket(em, name);
        if (bucket == null) {
            throw new NotFoundException("bucket", name);
        }
        return bucket;
    }

    private static Long findConsumerId(EntityManager em, BucketEntity bucket, String name) {
        if (!TextChecks.isStorable(name)) {
            return null;
        }
        return em.createQuery("select c.id from Consumer c where c.bucket = :b and c.activeName = :name", Long.class)
                .setParameter("b", bucket).setParameter("name", name)
                .getResultStream().findFirst().orElse(null);
    }

    private static ConsumerEntity requireConsumer(EntityManager em, BucketEntity bucket, String name) {
        Long id = name == null ? null : findConsumerId(em, bucket, name);
        if (id == null) {
            throw new NotFoundException("consumer", name);
        }
        return em.find(ConsumerEntity.class, id);
    }

    /**
     * The consumer row locked FOR UPDATE until the transaction ends. The id is looked up first so
     * the locking SELECT touches one table (H2 and PostgreSQL both lock it), and a consumer deleted
     * while we waited is reported as not found.
     */
    private static ConsumerEntity lockConsumer(EntityManager em, BucketEntity bucket, String name) {
        Long id = name == null ? null : findConsumerId(em, bucket, name);
        if (id == null) {
            throw new NotFoundException("consumer", name);
        }
        ConsumerEntity consumer = em.find(ConsumerEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (consumer == null || consumer.deletedOn != null) {
            throw new NotFoundException("consumer", name);
        }
        return consumer;
    }

    private static ApiKeyEntity requireKey(EntityManager em, ConsumerEntity consumer, String keyId) {
        ApiKeyEntity key = keyId == null || !TextChecks.isStorable(keyId) ? null : em.createQuery(
                        "select k from ApiKey k where k.publicId = :id and k.consumer = :c", ApiKeyEntity.class)
                .setParameter("id", keyId).setParameter("c", consumer)
                .getResultStream().findFirst().orElse(null);
        if (key == null) {
            throw new NotFoundException("key", keyId);
        }
        return key;
    }

    private <T> T read(Function<EntityManager, T> work) {
        try {
            return database.inTransaction(work);
        } catch (GatekeyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /** One transaction; a unique-constraint violation (a concurrent create) becomes a conflict. */
    private <T> T write(Supplier<String> conflictMessage, Function<EntityManager, T> work) {
        try {
            return database.inTransaction(work);
        } catch (GatekeyException e) {
            throw e;
        } catch (RuntimeException e) {
            if (conflictMessage != null && isUniqueViolation(e)) {
                throw new ConflictException(conflictMessage.get());
            }
            throw unavailable(e);
        }
    }

    /**
     * A failure of the database or its driver (anywhere in the cause chain) as the one typed error; anything
     * else is a bug and stays what it is.
     */
    private static RuntimeException unavailable(RuntimeException e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof jakarta.persistence.PersistenceException || t instanceof SQLException
                    || t instanceof org.hibernate.HibernateException || t instanceof KeyStoreException) {
                return new DatabaseUnavailableException("the database is unavailable", e);
            }
        }
        return e;
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException cve
                    && cve.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant truncate(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static void checkActor(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 256) {
            throw new IllegalArgumentException("actor must be 1 to 256 characters");
        }
    }

    private static void checkDescription(String description, List<FieldError> errors) {
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new FieldError("description",
                    "description must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        } else if (!TextChecks.isStorable(description)) {
            errors.add(new FieldError("description", TextChecks.UNSTORABLE));
        }
    }

    private static void checkFutureExpiry(Instant expiresOn, Instant now, List<FieldError> errors) {
        if (expiresOn != null && !expiresOn.isAfter(now)) {
            errors.add(new FieldError("expiresOn", "expiresOn must be in the future"));
        }
    }

    private void checkTags(Map<String, String> tags, List<FieldError> errors) {
        if (tags == null) {
            return;
        }
        if (tags.size() > limits.maxTags()) {
            errors.add(new FieldError("tags", "tags must not have more than " + limits.maxTags() + " entries"));
            return;
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey() == null || !TAG_KEY.matcher(tag.getKey()).matches()) {
                errors.add(new FieldError("tags", "tag keys must match " + TAG_KEY_REGEX));
            } else if (tag.getValue() == null || tag.getValue().length() > MAX_TAG_VALUE_LENGTH) {
                errors.add(new FieldError("tags." + tag.getKey(),
                        "tag values must be 0 to " + MAX_TAG_VALUE_LENGTH + " characters"));
            } else if (!TextChecks.isStorable(tag.getValue())) {
                errors.add(new FieldError("tags." + tag.getKey(), TextChecks.UNSTORABLE));
            }
        }
    }

    private static String metadataJson(Map<String, Object> metadata, List<FieldError> errors) {
        int before = errors.size();
        TextChecks.checkJson("metadata", metadata, errors);
        checkRateLimit(metadata, errors);
        if (errors.size() > before) {
            return null;
        }
        try {
            return Json.write(metadata);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("metadata", "metadata must be a JSON object"));
            return null;
        }
    }

    /** A consumer's limit the filter could not apply would be ignored at every request: refused here instead. */
    private static void checkRateLimit(Map<String, Object> metadata, List<FieldError> errors) {
        if (metadata == null || !metadata.containsKey(RateLimiters.METADATA_RATE_LIMIT)) {
            return;
        }
        String field = "metadata." + RateLimiters.METADATA_RATE_LIMIT;
        if (!(metadata.get(RateLimiters.METADATA_RATE_LIMIT) instanceof String text)) {
            errors.add(new FieldError(field, "rateLimit must be a string such as 100/1s, 30/1m, 5000/1h or 100000/1d"));
            return;
        }
        try {
            RateLimit.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
        }
    }

    private void checkMetadataSize(String json) {
        if (json.getBytes(StandardCharsets.UTF_8).length > limits.metadataMaxBytes()) {
            throw new PayloadTooLargeException("metadata must not exceed " + limits.metadataMaxBytes() + " bytes");
        }
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }

    private static int checkLimit(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        return limit;
    }

    private static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** 0 for no cursor (ids start at 1). */
    private static long decodeCursor(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                long id = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the typed error: a cursor is opaque, its parse failure is not news
        }
        throw new InvalidInputException("cursor", "cursor is invalid");
    }
}
