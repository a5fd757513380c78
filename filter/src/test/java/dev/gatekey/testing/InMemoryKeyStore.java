package dev.gatekey.testing;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.policy.RefillSchedule;
import dev.gatekey.store.Change;
import dev.gatekey.store.CreditLease;
import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyPolicy;
import dev.gatekey.store.ChangeFeed;
import dev.gatekey.store.KeyHashes;
import dev.gatekey.store.KeyStore;
import dev.gatekey.store.KeyStoreException;
import dev.gatekey.store.StoredKey;
import dev.gatekey.store.UsageCount;
import dev.gatekey.store.UsageRetention;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A key store and change feed in memory that counts its calls and can be made to fail. */
public final class InMemoryKeyStore implements KeyStore, ChangeFeed {

    public static final String BUCKET = "demo-live";
    public static final String PREFIX = "demo_live";
    public static final String OTHER_BUCKET = "other-bucket";
    public static final String OTHER_PREFIX = "other";

    private final ApiKeyFormat format = ApiKeyFormat.crc32();
    private final Map<String, StoredKey> keys = new ConcurrentHashMap<>();
    private final Map<String, String> prefixes = new ConcurrentHashMap<>(Map.of(BUCKET, PREFIX, OTHER_BUCKET,
            OTHER_PREFIX));
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final AtomicLong nextPosition = new AtomicLong(1);
    private final AtomicLong keyIds = new AtomicLong(1);
    public final AtomicInteger findCalls = new AtomicInteger();
    public final AtomicInteger feedReads = new AtomicInteger();
    public final AtomicInteger prefixCalls = new AtomicInteger();
    public final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    public volatile boolean storeDown;
    public volatile boolean feedDown;
    public volatile boolean lastUsedDown;
    /** Every usage batch written, in order. */
    public final List<List<UsageCount>> usageBatches = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final List<Instant> rollUps = new java.util.concurrent.CopyOnWriteArrayList<>();
    public volatile boolean usageDown;
    /** When set, {@link #forEachKeyHash} lists the keys and {@link #addKey} puts new keys on the feed. */
    public volatile boolean listsKeys;
    /** Credits as the store has them now, by key id: leases decrement them, refills set them. */
    private final Map<String, CreditPolicy> credits = new ConcurrentHashMap<>();
    public final AtomicInteger leaseCalls = new AtomicInteger();
    public final AtomicInteger returnCalls = new AtomicInteger();
    public volatile boolean creditsDown;
    /** When set, lookups wait for it to open: concurrent requests then overlap inside the store. */
    public volatile CountDownLatch lookupGate;

    public void addBucket(String bucket, String prefix) {
        prefixes.put(bucket, prefix);
    }

    /** A new valid key of {@link #BUCKET}. */
    public String addKey(String consumer) {
        return addKey(BUCKET, consumer, Map.of(), null, true);
    }

    public String addKey(String bucket, String consumer, Map<String, Object> metadata, Instant expiresOn,
            boolean consumerEnabled) {
        String key = format.generate(prefixes.get(bucket));
        String hash = KeyHashes.sha256Hex(key);
        keys.put(hash, new StoredKey("key_" + keyIds.getAndIncrement(), bucket, consumer,
                metadata, expiresOn, null, consumerEnabled));
        if (listsKeys) {
            changes.add(new Change(nextPosition.getAndIncrement(), Change.Type.KEY, hash, Instant.EPOCH));
        }
        return key;
    }

    /** A new valid key of {@link #BUCKET} with a policy. */
    public String addKey(String consumer, KeyPolicy policy) {
        String key = format.generate(PREFIX);
        StoredKey stored = new StoredKey("key_" + keyIds.getAndIncrement(), BUCKET, consumer, Map.of(), null, null,
                true, policy);
        keys.put(KeyHashes.sha256Hex(key), stored);
        if (policy.credits() != null) {
            credits.put(stored.keyId(), policy.credits());
        }
        return key;
    }

    /** Sets a key's credits as the admin API does: a new generation and a change row. */
    public synchronized void setCredits(String key, long remaining) {
        StoredKey k = stored(key);
        CreditPolicy c = credits.get(k.keyId());
        putCredits(KeyHashes.sha256Hex(key), new CreditPolicy(remaining, c.generation() + 1, c.refill(),
                c.nextRefillAt()), Instant.EPOCH);
    }

    /** The credits the store has left for a key (its text, or its id). */
    public long creditsLeft(String key) {
        return credits.get(key.startsWith("key_") ? key : stored(key).keyId()).remaining();
    }

    public long creditsGeneration(String key) {
        return credits.get(stored(key).keyId()).generation();
    }

    private void putCredits(String hash, CreditPolicy c, Instant at) {
        StoredKey k = keys.get(hash);
        credits.put(k.keyId(), c);
        keys.put(hash, new StoredKey(k.keyId(), k.bucket(), k.consumer(), k.metadata(), k.expiresOn(), k.revokedOn(),
                k.consumerEnabled(), new KeyPolicy(k.policy().scopes(), k.policy().allowedIps(), c)));
        changes.add(new Change(nextPosition.getAndIncrement(), Change.Type.KEY, hash, at));
    }

    @Override
    public synchronized CreditLease leaseCredits(String keyId, long want, Instant now) {
        leaseCalls.incrementAndGet();
        if (creditsDown) {
            throw new KeyStoreException("store is down");
        }
        CreditPolicy c = credits.get(keyId);
        if (c == null) {
            return new CreditLease(want, 0, null);
        }
        if (c.refill() != null && !now.isBefore(c.nextRefillAt())) {
            c = new CreditPolicy(c.refill().amount(), c.generation() + 1, c.refill(),
                    RefillSchedule.nextAfter(c.refill(), now));
            String hash = keys.entrySet().stream().filter(e -> e.getValue().keyId().equals(keyId)).findFirst()
                    .orElseThrow().getKey();
            putCredits(hash, c, now);
        }
        long granted = Math.min(want, c.remaining());
        credits.put(keyId, new CreditPolicy(c.remaining() - granted, c.generation(), c.refill(), c.nextRefillAt()));
        return new CreditLease(granted, c.generation(), c.nextRefillAt());
    }

    @Override
    public synchronized void returnCredits(String keyId, long amount, long generation) {
        returnCalls.incrementAndGet();
        CreditPolicy c = credits.get(keyId);
        if (c != null && c.generation() == generation) {
            credits.put(keyId, new CreditPolicy(c.remaining() + amount, generation, c.refill(), c.nextRefillAt()));
        }
    }

    /**
     * A key of {@link #BUCKET} imported from another system: only its hash is stored (as the admin API's import
     * does), with a change row as the import writes one.
     */
    public void addLegacyKey(String legacyKey, String consumer, Map<String, Object> metadata) {
        String hash = KeyHashes.sha256Hex(legacyKey);
        keys.put(hash, new StoredKey("key_" + keyIds.getAndIncrement(), BUCKET, consumer, metadata, null, null, true));
        changes.add(new Change(nextPosition.getAndIncrement(), Change.Type.KEY, hash, Instant.EPOCH));
    }

    /** A new valid key of {@link #BUCKET} in another format (hmac). */
    public String addKey(ApiKeyFormat keyFormat, String consumer) {
        String key = keyFormat.generate(PREFIX);
        keys.put(KeyHashes.sha256Hex(key), new StoredKey("key_" + keyIds.getAndIncrement(), BUCKET, consumer,
                Map.of(), null, null, true));
        return key;
    }

    /** A key with {@code prefix} that the store files under {@code bucket}, whatever that bucket's prefix. */
    public String addKeyStoredUnder(String prefix, String bucket, String consumer) {
        String key = format.generate(prefix);
        keys.put(KeyHashes.sha256Hex(key), new StoredKey("key_" + keyIds.getAndIncrement(), bucket, consumer,
                Map.of(), null, null, true));
        return key;
    }

    public StoredKey stored(String key) {
        return keys.get(KeyHashes.sha256Hex(key));
    }

    /** Revokes in the store and writes the change row, as the admin service does. */
    public void revoke(String key, Instant at) {
        String hash = KeyHashes.sha256Hex(key);
        StoredKey k = keys.get(hash);
        keys.put(hash, new StoredKey(k.keyId(), k.bucket(), k.consumer(), k.metadata(), k.expiresOn(), at,
                k.consumerEnabled()));
        changes.add(new Change(nextPosition.getAndIncrement(), Change.Type.KEY, hash, at));
    }

    /** Deletes from the store without a change row: only the TTL or a flush can make caches notice. */
    public void deleteSilently(String key) {
        keys.remove(KeyHashes.sha256Hex(key));
    }

    public void flush() {
        changes.add(new Change(nextPosition.getAndIncrement(), Change.Type.FLUSH, null, Instant.EPOCH));
    }

    @Override
    public Optional<StoredKey> findByHash(String sha256Hex) {
        findCalls.incrementAndGet();
        CountDownLatch gate = lookupGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeyStoreException("interrupted");
            }
        }
        if (storeDown) {
            throw new KeyStoreException("store is down");
        }
        return Optional.ofNullable(keys.get(sha256Hex));
    }

    @Override
    public Optional<String> findKeyPrefix(String bucket) {
        prefixCalls.incrementAndGet();
        if (storeDown) {
            throw new KeyStoreException("store is down");
        }
        return Optional.ofNullable(prefixes.get(bucket));
    }

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
        if (lastUsedDown) {
            throw new KeyStoreException("store is down");
        }
        lastUsed.putAll(lastUsedByKeyId);
    }

    @Override
    public boolean forEachKeyHash(Consumer<String> sink) {
        if (!listsKeys) {
            return false;
        }
        if (storeDown) {
            throw new KeyStoreException("store is down");
        }
        keys.keySet().forEach(sink);
        return true;
    }

    @Override
    public long latestPosition() {
        if (feedDown) {
            throw new KeyStoreException("feed is down");
        }
        return changes.isEmpty() ? 0 : changes.get(changes.size() - 1).position();
    }

    @Override
    public List<Change> changesAfter(long position, int limit) {
        feedReads.incrementAndGet();
        if (feedDown) {
            throw new KeyStoreException("feed is down");
        }
        return changes.stream().filter(c -> c.position() > position).limit(limit).toList();
    }

    @Override
    public void recordUsage(List<UsageCount> counts) {
        if (usageDown) {
            throw new KeyStoreException("usage store down");
        }
        usageBatches.add(List.copyOf(counts));
    }

    @Override
    public void rollUpUsage(Instant now, UsageRetention retention) {
        if (usageDown) {
            throw new KeyStoreException("usage store down");
        }
        rollUps.add(now);
    }

    /** Total of the usage counts written for {@code keyId} (null: the bucket's keyless counts) and outcome. */
    public long usageTotal(String keyId, String outcome) {
        return usageBatches.stream().flatMap(List::stream)
                .filter(c -> java.util.Objects.equals(c.keyId(), keyId) && c.outcome().equals(outcome))
                .mapToLong(UsageCount::count).sum();
    }
}
