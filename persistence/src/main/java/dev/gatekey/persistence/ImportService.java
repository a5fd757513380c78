package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;
import static dev.gatekey.persistence.InputChecks.checkDescription;
import static dev.gatekey.persistence.InputChecks.metadataJson;
import static dev.gatekey.persistence.Lookups.requireBucket;

import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Imports keys made elsewhere by their SHA-256 hashes, so a team moving to Gatekey keeps its customers' keys (the
 * filter accepts them with {@code legacyKeys=accept}). Get one from {@link KeyManagement#imports()}.
 *
 * <p>Idempotent by hash: a hash imported before for the same consumer of the bucket is reported
 * {@link ImportResult.Status#EXISTS} and left as it is; a hash that belongs to another consumer or bucket is an
 * item error. Missing consumers are created, with the metadata of the first valid item that names them (checked
 * as consumer creation checks it; ignored for consumers that exist).
 *
 * <p>Items are written in transactions of at most {@value #ITEMS_PER_TRANSACTION}: a bad item is reported and
 * skipped without losing the good ones, and each transaction writes its keys, their change-feed rows (so every
 * filter knows the new hashes within a poll), the consumers it created and one audit event
 * {@value #AUDIT_ACTION} with its counts. When the answer comes back, every item reported created or existing is
 * durable. A {@link DatabaseUnavailableException} in the middle leaves the earlier transactions written:
 * importing the same list again finishes the job.
 *
 * <p>An imported key has no text: its masked form (in every key format) is {@value KeyMaterial#IMPORTED_MASK}
 * followed by the last 4 hex digits of its hash. It can be revoked, changed, expired and rolled like any key;
 * a roll gives the consumer a Gatekey key. Thread-safe.
 */
public final class ImportService {

    /** The most items one import may have. */
    public static final int MAX_ITEMS = 10_000;
    /** Items written per transaction. */
    public static final int ITEMS_PER_TRANSACTION = 500;
    /** What {@code keyHash} must look like. */
    public static final String KEY_HASH_REGEX = "^sha256:[0-9a-f]{64}$";
    /** The audit action of each import transaction. */
    public static final String AUDIT_ACTION = "key.import";

    private static final Pattern KEY_HASH = Pattern.compile(KEY_HASH_REGEX);
    private static final Pattern CONSUMER_NAME = Pattern.compile(ConsumerService.CONSUMER_NAME_REGEX);
    private static final String HASH_PREFIX = "sha256:";

    private final Transactions transactions;
    private final Journal journal;
    private final InputChecks checks;
    private final KeyMaterial keyMaterial;

    ImportService(Transactions transactions, Journal journal, InputChecks checks, KeyMaterial keyMaterial) {
        this.transactions = transactions;
        this.journal = journal;
        this.checks = checks;
        this.keyMaterial = keyMaterial;
    }

    /** An item that passed the checks that need no database. */
    private record Checked(String consumer, String hash, String description, Instant createdOn, Instant expiresOn) {
    }

    /**
     * Imports the keys into the bucket.
     *
     * @return one result per item, in the items' order
     * @throws PayloadTooLargeException for more than {@value #MAX_ITEMS} items
     * @throws NotFoundException when the bucket does not exist (nothing is written)
     * @throws DatabaseUnavailableException when the database fails (earlier transactions stay written)
     */
    public List<ImportResult> importKeys(String actor, String bucketName, List<ImportedKey> items) {
        checkActor(actor);
        Objects.requireNonNull(items, "items");
        if (items.size() > MAX_ITEMS) {
            throw new PayloadTooLargeException("an import must not have more than " + MAX_ITEMS + " items");
        }
        transactions.read(em -> requireBucket(em, bucketName));
        Instant now = transactions.now();
        ImportResult[] results = new ImportResult[items.size()];
        Checked[] checked = new Checked[items.size()];
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            List<FieldError> errors = new ArrayList<>();
            checked[i] = check(items.get(i), now, metadata, errors);
            if (!errors.isEmpty()) {
                results[i] = ImportResult.error(i, errors);
                checked[i] = null;
            }
        }
        for (int from = 0; from < items.size(); from += ITEMS_PER_TRANSACTION) {
            List<Integer> pending = new ArrayList<>();
            for (int i = from; i < Math.min(items.size(), from + ITEMS_PER_TRANSACTION); i++) {
                if (checked[i] != null) {
                    pending.add(i);
                }
            }
            write(actor, bucketName, pending, checked, metadata, results);
        }
        return List.of(results);
    }

    /** Writes the pending items in one transaction; after a conflict with a concurrent write, one by one. */
    private void write(String actor, String bucketName, List<Integer> pending, Checked[] checked,
            Map<String, String> metadata, ImportResult[] results) {
        if (pending.isEmpty()) {
            return;
        }
        try {
            record(transactions.write(() -> "conflict", em -> writeAll(em, actor, bucketName, pending, checked,
                    metadata)), results);
        } catch (ConflictException e) {
            if (pending.size() == 1) {
                int i = pending.get(0);
                results[i] = ImportResult.error(i, List.of(new FieldError("keyHash",
                        "keyHash or consumer was changed by a concurrent request; import the item again")));
                return;
            }
            for (Integer i : pending) {
                write(actor, bucketName, List.of(i), checked, metadata, results);
            }
        }
    }

    private static void record(List<ImportResult> written, ImportResult[] results) {
        for (ImportResult result : written) {
            results[result.index()] = result;
        }
    }

    private List<ImportResult> writeAll(EntityManager em, String actor, String bucketName, List<Integer> pending,
            Checked[] checked, Map<String, String> metadata) {
        // no flush before each query: the keys and consumers of this transaction are tracked below instead
        em.setFlushMode(FlushModeType.COMMIT);
        BucketEntity bucket = requireBucket(em, bucketName);
        Instant now = transactions.now();
        Set<String> hashes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i : pending) {
            hashes.add(checked[i].hash());
            names.add(checked[i].consumer());
        }
        Map<String, ApiKeyEntity> keys = new HashMap<>();
        em.createQuery("select k from ApiKey k join fetch k.consumer c join fetch c.bucket where k.keyHash in :h",
                ApiKeyEntity.class).setParameter("h", hashes).getResultList().forEach(k -> keys.put(k.keyHash, k));
        Map<String, ConsumerEntity> consumers = new HashMap<>();
        em.createQuery("select c from Consumer c where c.bucket = :b and c.activeName in :n", ConsumerEntity.class)
                .setParameter("b", bucket).setParameter("n", names).getResultList()
                .forEach(c -> consumers.put(c.name, c));
        List<ImportResult> written = new ArrayList<>();
        int created = 0;
        int existing = 0;
        for (int i : pending) {
            Checked item = checked[i];
            ApiKeyEntity found = keys.get(item.hash());
            if (found != null) {
                if (found.consumer.bucket.id.equals(bucket.id) && found.consumer.deletedOn == null
                        && found.consumer.name.equals(item.consumer())) {
                    written.add(ImportResult.exists(i, found.publicId));
                    existing++;
                } else {
                    written.add(ImportResult.error(i, List.of(new FieldError("keyHash",
                            "keyHash belongs to another consumer or bucket"))));
                }
                continue;
            }
            if (item.expiresOn() != null && !item.expiresOn().isAfter(now)) {
                written.add(ImportResult.error(i, List.of(new FieldError("expiresOn",
                        "expiresOn must be in the future"))));
                continue;
            }
            ConsumerEntity consumer = consumers.computeIfAbsent(item.consumer(),
                    name -> newConsumer(em, actor, bucket, name, metadata.get(name), now));
            ApiKeyEntity key = keyMaterial.importHash(em, consumer, item.hash(), item.description(),
                    item.createdOn() == null ? now : item.createdOn(), item.expiresOn(), now);
            keys.put(key.keyHash, key);
            written.add(ImportResult.created(i, key.publicId));
            created++;
        }
        journal.audit(em, actor, AUDIT_ACTION, "bucket", bucketName, "created=" + created + " exists=" + existing
                + " errors=" + (pending.size() - created - existing) + " items=" + pending.get(0) + ".."
                + pending.get(pending.size() - 1));
        return written;
    }

    /**
     * A new consumer of the bucket, audited. Its row is inserted at once (identity ids), so a concurrent create of
     * the same name fails this transaction with a conflict, and its items are retried alone.
     */
    private ConsumerEntity newConsumer(EntityManager em, String actor, BucketEntity bucket, String name,
            String metadataJson, Instant now) {
        ConsumerEntity entity = new ConsumerEntity();
        entity.publicId = PublicIds.next("con_");
        entity.bucket = bucket;
        entity.name = name;
        entity.activeName = name;
        entity.metadataJson = metadataJson == null ? "{}" : metadataJson;
        entity.createdOn = now;
        entity.updatedOn = now;
        em.persist(entity);
        journal.audit(em, actor, "consumer.create", "consumer", name, "bucket=" + bucket.name + " import=true");
        journal.webhooks().consumerCreated(em, entity, now);
        return entity;
    }

    /** The item's problems that need no database, added to {@code errors}; its first metadata per consumer kept. */
    private Checked check(ImportedKey item, Instant now, Map<String, String> metadata, List<FieldError> errors) {
        if (item == null) {
            errors.add(new FieldError("body", "an item must be a JSON object"));
            return null;
        }
        String consumer = item.consumer();
        if (consumer == null || !CONSUMER_NAME.matcher(consumer).matches()) {
            errors.add(new FieldError("consumer", "consumer must match " + ConsumerService.CONSUMER_NAME_REGEX));
        }
        if (item.keyHash() == null || !KEY_HASH.matcher(item.keyHash()).matches()) {
            errors.add(new FieldError("keyHash", "keyHash must be sha256: followed by 64 lowercase hex digits"));
        }
        checkDescription(item.description(), errors);
        Instant createdOn = Transactions.truncate(item.createdOn());
        if (createdOn != null && createdOn.isAfter(now)) {
            errors.add(new FieldError("createdOn", "createdOn must not be in the future"));
        }
        String json = null;
        if (item.metadata() != null) {
            json = metadataJson(item.metadata(), errors);
            if (json != null) {
                try {
                    checks.checkMetadataSize(json);
                } catch (PayloadTooLargeException e) {
                    errors.add(new FieldError("metadata", e.getMessage()));
                }
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        if (!metadata.containsKey(consumer)) {
            metadata.put(consumer, json);
        }
        return new Checked(consumer, item.keyHash().substring(HASH_PREFIX.length()), item.description(), createdOn,
                Transactions.truncate(item.expiresOn()));
    }
}
