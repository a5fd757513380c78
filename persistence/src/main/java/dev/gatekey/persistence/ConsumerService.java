package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;
import static dev.gatekey.persistence.InputChecks.checkDescription;
import static dev.gatekey.persistence.InputChecks.checkManagers;
import static dev.gatekey.persistence.InputChecks.metadataJson;
import static dev.gatekey.persistence.InputChecks.throwIfAny;
import static dev.gatekey.persistence.Lookups.findConsumerId;
import static dev.gatekey.persistence.Lookups.lockConsumer;
import static dev.gatekey.persistence.Lookups.requireBucket;
import static dev.gatekey.persistence.Lookups.requireConsumer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Consumers of a bucket: create (optionally with a first key), read, list and filter, change and delete them.
 * Get one from {@link KeyManagement#consumers()}.
 *
 * <p>Each operation runs in one transaction. A metadata change and a delete write change-feed rows for the
 * consumer's keys in that same transaction; every mutation writes an audit event naming its {@code actor}, and
 * every key shown in full ({@link KeyFormat#VISIBLE}) is audited as {@value AuditService#KEY_REVEALED}.
 *
 * <p>Errors are typed: {@link InvalidInputException} (400, with field errors), {@link NotFoundException} (404),
 * {@link ConflictException} (409, including unique-constraint violations from concurrent creates),
 * {@link PayloadTooLargeException} (413, metadata over {@link Limits#metadataMaxBytes()}),
 * {@link MasterKeyException} when a visible key cannot be decrypted, and {@link DatabaseUnavailableException}
 * (503) for every failure of the database itself. Thread-safe.
 */
public final class ConsumerService {

    public static final String CONSUMER_NAME_REGEX = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$";
    /** The longest consumer name ({@link #CONSUMER_NAME_REGEX}). */
    public static final int MAX_CONSUMER_NAME_LENGTH = 128;
    public static final String TAG_KEY_REGEX = "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$";
    public static final int MAX_TAG_VALUE_LENGTH = 256;
    /** The most managers a consumer has. */
    public static final int MAX_MANAGERS = 20;
    /** The longest manager id (an e-mail address fits). */
    public static final int MAX_MANAGER_LENGTH = 254;

    private static final Pattern CONSUMER_NAME = Pattern.compile(CONSUMER_NAME_REGEX);

    private final Transactions transactions;
    private final Journal journal;
    private final InputChecks checks;
    private final KeyMaterial keyMaterial;
    private final ConsumerGuard guard;

    ConsumerService(Transactions transactions, Journal journal, InputChecks checks, KeyMaterial keyMaterial,
            ConsumerGuard guard) {
        this.transactions = transactions;
        this.journal = journal;
        this.checks = checks;
        this.keyMaterial = keyMaterial;
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * This service restricted to the consumers the guard admits: a consumer outside it is not found
     * ({@link NotFoundException}) and not listed; a consumer created, or whose tags or managers are changed,
     * through it gets the guard's tags and manager (a different value for a guarded tag is refused).
     */
    public ConsumerService guarded(ConsumerGuard guard) {
        return new ConsumerService(transactions, journal, checks, keyMaterial,
                guard == null ? ConsumerGuard.NONE : guard);
    }

    /**
     * Creates a consumer, and with {@code withApiKey} its first key.
     *
     * @return the consumer; with {@code withApiKey} its {@link Consumer#apiKeys()} holds the new key,
     *     visible (the only time an irretrievable key is shown), else {@code apiKeys} is null
     * @throws InvalidInputException for a bad name, description, tags or managers, or a tag the guard fixes
     *     to another value
     * @throws PayloadTooLargeException when the metadata is over its byte limit
     * @throws NotFoundException when there is no such bucket
     * @throws ConflictException when the bucket has a consumer of that name
     */
    public Consumer create(String actor, String bucketName, NewConsumer consumer, boolean withApiKey) {
        return create(actor, bucketName, consumer, withApiKey ? NewKey.plain() : null);
    }

    /**
     * Creates a consumer and, unless {@code apiKey} is null, its first key with that key's description, expiry
     * and policy, as {@link #create(String, String, NewConsumer, boolean)} does.
     *
     * @throws InvalidInputException also for a bad key description, expiry, scope, CIDR or credits
     */
    public Consumer create(String actor, String bucketName, NewConsumer consumer, NewKey apiKey) {
        checkActor(actor);
        Objects.requireNonNull(consumer, "consumer");
        List<FieldError> errors = new ArrayList<>();
        String name = consumer.name();
        if (name == null || !CONSUMER_NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "name must match " + CONSUMER_NAME_REGEX));
        }
        checkDescription(consumer.description(), errors);
        checkManagers(consumer.managers(), errors);
        Map<String, String> tags = guardedTags(consumer.tags() == null ? Map.of() : consumer.tags(), errors);
        checks.checkTags(tags, errors); // with the guard's: a tag.K query parameter is not checked elsewhere
        Set<String> managers = guardedManagers(consumer.managers() == null ? List.of() : consumer.managers());
        String metadataJson = metadataJson(consumer.metadata() == null ? Map.of() : consumer.metadata(), errors);
        Instant keyExpiry = apiKey == null ? null : KeyService.checkNewKey(apiKey, transactions.now(), errors);
        throwIfAny(errors);
        checks.checkMetadataSize(metadataJson);
        return transactions.write(() -> "consumer " + name + " already exists in bucket " + bucketName, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            if (findConsumerId(em, bucket, name) != null) {
                throw new ConflictException("consumer " + name + " already exists in bucket " + bucketName);
            }
            Instant now = transactions.now();
            ConsumerEntity entity = new ConsumerEntity();
            entity.publicId = PublicIds.next("con_");
            entity.bucket = bucket;
            entity.name = name;
            entity.activeName = name;
            entity.description = consumer.description();
            entity.metadataJson = metadataJson;
            entity.tags.putAll(tags);
            entity.managers.addAll(managers);
            entity.createdOn = now;
            entity.updatedOn = now;
            em.persist(entity);
            // the unique (bucket, active_name) check fires here, inside the mapped conflict
            em.flush();
            journal.webhooks().consumerCreated(em, entity, now);
            journal.audit(em, actor, "consumer.create", "consumer", name, "bucket=" + bucketName);
            List<ApiKey> keys = null;
            if (apiKey != null) {
                keys = List.of(keyMaterial.create(em, actor, bucket, entity, apiKey.description(), keyExpiry,
                        KeyService.policyOf(apiKey, now), now));
            }
            return Records.toConsumer(entity, keys);
        });
    }

    /**
     * A consumer, with its keys in {@code keyFormat} when {@code includeKeys}.
     *
     * @throws NotFoundException when the bucket or consumer does not exist (deleted consumers do not)
     * @throws ConflictException for {@link KeyFormat#VISIBLE} keys of an irretrievable bucket
     */
    public Consumer get(String bucketName, String name, boolean includeKeys, KeyFormat keyFormat) {
        return get(null, bucketName, name, includeKeys, keyFormat);
    }

    /**
     * {@link #get(String, String, boolean, KeyFormat)} on behalf of {@code actor}: each key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value AuditService#KEY_REVEALED} (its id, never its text).
     */
    public Consumer get(String actor, String bucketName, String name, boolean includeKeys, KeyFormat keyFormat) {
        KeyMaterial.checkRevealActor(actor, includeKeys ? keyFormat : KeyFormat.NONE);
        return transactions.read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            if (includeKeys) {
                KeyMaterial.checkFormat(bucket, keyFormat);
            }
            ConsumerEntity consumer = requireConsumer(em, bucket, name, guard);
            return Records.toConsumer(consumer,
                    includeKeys ? keyMaterial.keysOf(em, actor, consumer, bucket, keyFormat) : null);
        });
    }

    /**
     * Changes a consumer's description, metadata, tags and/or managers. A metadata change writes a change row
     * for every key of the consumer, so caches drop the old metadata.
     *
     * @return the consumer, without keys
     * @throws InvalidInputException for a bad description, tags or managers, or a tag the guard fixes to
     *     another value
     * @throws PayloadTooLargeException when the metadata is over its byte limit
     * @throws NotFoundException when the bucket or consumer does not exist or is outside the guard
     */
    public Consumer update(String actor, String bucketName, String name, ConsumerChanges changes) {
        checkActor(actor);
        Objects.requireNonNull(changes, "changes");
        List<FieldError> errors = new ArrayList<>();
        checkDescription(changes.description(), errors);
        checkManagers(changes.managers(), errors);
        Map<String, String> tags = changes.tags() == null ? null : guardedTags(changes.tags(), errors);
        checks.checkTags(tags, errors);
        Set<String> managers = changes.managers() == null ? null : guardedManagers(changes.managers());
        String metadataJson = changes.metadata() == null ? null : metadataJson(changes.metadata(), errors);
        throwIfAny(errors);
        if (metadataJson != null) {
            checks.checkMetadataSize(metadataJson);
        }
        return transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = requireConsumer(em, bucket, name, guard);
            if (changes.description() != null) {
                consumer.description = changes.description();
            }
            if (tags != null) {
                consumer.tags.clear();
                consumer.tags.putAll(tags);
            }
            if (managers != null) {
                consumer.managers.clear();
                consumer.managers.addAll(managers);
            }
            Instant now = transactions.now();
            if (metadataJson != null && !metadataJson.equals(consumer.metadataJson)) {
                consumer.metadataJson = metadataJson;
                for (ApiKeyEntity key : Lookups.keysOf(em, consumer)) {
                    journal.keyChanged(em, key, now);
                }
            }
            consumer.updatedOn = now;
            journal.audit(em, actor, "consumer.update", "consumer", name, "bucket=" + bucketName);
            return Records.toConsumer(consumer, null);
        });
    }

    /**
     * Deletes a consumer: every key it has is revoked now (with change rows) and its name is free
     * for a new consumer. The rows stay, so its keys keep answering "revoked".
     *
     * @throws NotFoundException when the bucket or consumer does not exist
     */
    public void delete(String actor, String bucketName, String name) {
        checkActor(actor);
        transactions.write(null, em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            ConsumerEntity consumer = lockConsumer(em, bucket, name, guard);
            Instant now = transactions.now();
            List<String> revoked = new ArrayList<>();
            for (ApiKeyEntity key : Lookups.keysOf(em, consumer)) {
                if (key.revokedOn == null) {
                    key.revokedOn = now;
                    revoked.add(key.publicId);
                }
                journal.keyChanged(em, key, now);
            }
            journal.webhooks().consumerDeleted(em, consumer, revoked, now);
            consumer.deletedOn = now;
            consumer.activeName = null;
            consumer.updatedOn = now;
            journal.audit(em, actor, "consumer.delete", "consumer", name, "bucket=" + bucketName);
            return null;
        });
    }

    /**
     * One page of a bucket's consumers in creation order (keyset pagination on the internal id), optionally
     * only those whose name starts with {@link ConsumerQuery#namePrefix} (case-sensitive, like names) and that
     * carry every tag of {@link ConsumerQuery#tags} (and, on a {@link #guarded} service, are inside the guard).
     *
     * @throws InvalidInputException for a limit outside 1..{@value KeyManagement#MAX_PAGE_SIZE} (field
     *     {@code limit}), a cursor this method did not make (field {@code cursor}) or a name prefix longer than
     *     a name (field {@code name-prefix})
     * @throws NotFoundException when there is no such bucket
     * @throws ConflictException for {@link KeyFormat#VISIBLE} keys of an irretrievable bucket
     */
    public Page<Consumer> list(String bucketName, ConsumerQuery query) {
        return list(null, bucketName, query);
    }

    /**
     * {@link #list(String, ConsumerQuery)} on behalf of {@code actor}: each key shown
     * {@link KeyFormat#VISIBLE} is audited as {@value AuditService#KEY_REVEALED} (its id, never its text).
     */
    public Page<Consumer> list(String actor, String bucketName, ConsumerQuery query) {
        Objects.requireNonNull(query, "query");
        KeyMaterial.checkRevealActor(actor, query.includeKeys() ? query.keyFormat() : KeyFormat.NONE);
        int limit = Pages.checkLimit(query.limit());
        long after = Pages.decodeCursor(query.cursor());
        Map<String, String> tagFilter = new HashMap<>(query.tags() == null ? Map.of() : query.tags());
        for (Map.Entry<String, String> tag : guard.tags().entrySet()) {
            if (tagFilter.containsKey(tag.getKey()) && !tagFilter.get(tag.getKey()).equals(tag.getValue())) {
                return new Page<>(List.of(), null); // the filter asks for what the guard excludes
            }
            tagFilter.put(tag.getKey(), tag.getValue());
        }
        String manager = guard.manager();
        if (manager != null && !TextChecks.isStorable(manager)) {
            return new Page<>(List.of(), null); // nobody can manage under that id
        }
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
        return transactions.read(em -> {
            BucketEntity bucket = requireBucket(em, bucketName);
            if (query.includeKeys()) {
                KeyMaterial.checkFormat(bucket, query.keyFormat());
            }
            StringBuilder sql = new StringBuilder(
                    "SELECT c.id FROM gk_consumer c WHERE c.bucket_id = ?1 AND c.deleted_on IS NULL AND c.id > ?2");
            int parameter = 3;
            if (namePrefix != null) {
                sql.append(" AND c.name LIKE ?").append(parameter++).append(" ESCAPE '\\'");
            }
            if (manager != null) {
                sql.append(" AND EXISTS (SELECT 1 FROM gk_consumer_manager m WHERE m.consumer_id = c.id")
                        .append(" AND m.manager = ?").append(parameter++).append(')');
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
            if (manager != null) {
                idQuery.setParameter(parameter++, manager);
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
                            .add(keyMaterial.view(em, actor, key, bucket, query.keyFormat()));
                }
            }
            List<Consumer> data = new ArrayList<>(consumers.size());
            for (ConsumerEntity consumer : consumers) {
                data.add(Records.toConsumer(consumer,
                        query.includeKeys() ? keys.getOrDefault(consumer.id, List.of()) : null));
            }
            return new Page<>(data, more ? Pages.encodeCursor(ids.get(ids.size() - 1)) : null);
        });
    }

    /** The tags with the guard's added; a guarded tag asked with another value is a field error. */
    private Map<String, String> guardedTags(Map<String, String> tags, List<FieldError> errors) {
        Map<String, String> result = new LinkedHashMap<>(tags); // the caller's order: field errors in it
        for (Map.Entry<String, String> tag : guard.tags().entrySet()) {
            String asked = result.putIfAbsent(tag.getKey(), tag.getValue());
            if (asked != null && !asked.equals(tag.getValue())) {
                errors.add(new FieldError("tags." + tag.getKey(),
                        "tag " + tag.getKey() + " must be " + tag.getValue() + " (the tag guard's value)"));
            }
        }
        return result;
    }

    /** The managers with the guard's manager added: nobody can take a consumer out of its manager's reach. */
    private Set<String> guardedManagers(List<String> managers) {
        Set<String> result = new TreeSet<>();
        managers.stream().filter(Objects::nonNull).forEach(result::add); // a null is a field error already
        if (guard.manager() != null) {
            result.add(guard.manager());
        }
        return result;
    }

    /** The LIKE pattern (escape character: backslash) of names starting with {@code prefix}, taken literally. */
    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '%';
    }
}
