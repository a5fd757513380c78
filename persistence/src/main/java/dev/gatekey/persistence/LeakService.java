package dev.gatekey.persistence;

import static dev.gatekey.persistence.InputChecks.checkActor;

import dev.gatekey.store.KeyHashes;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Leaked keys: finds keys of any bucket by their hashes, records the leaks a secret scanner reports (notify, or
 * revoke at once) and lists the records. Get one from {@link KeyManagement#leaks()}.
 *
 * <p>Recording is one transaction: the leak record, its audit event and, with {@link LeakAction#REVOKE}, the
 * revocation and its change row. Errors are typed: {@link InvalidInputException} (400) for a bad page limit or
 * cursor, and {@link DatabaseUnavailableException} (503) for every failure of the database itself. Thread-safe.
 */
public final class LeakService {

    /** Longer leak urls are stored cut to this length (the replay guard still sees the whole url). */
    public static final int MAX_LEAK_URL_LENGTH = 2048;
    /** Longer leak sources and token types are stored cut to this length. */
    public static final int MAX_LEAK_LABEL_LENGTH = 128;

    private static final int HASH_LOOKUP_CHUNK = 500;

    private final Transactions transactions;
    private final Journal journal;

    LeakService(Transactions transactions, Journal journal) {
        this.transactions = transactions;
        this.journal = journal;
    }

    /**
     * The keys of any bucket with these hashes ({@link dev.gatekey.store.KeyHashes#sha256Hex}), by hash; hashes
     * of no key are absent. One query per 500 hashes.
     */
    public Map<String, KeyOwner> findKeysByHash(Collection<String> keyHashes) {
        List<String> hashes = keyHashes.stream().distinct().toList();
        return transactions.read(em -> {
            Instant now = transactions.now();
            Map<String, KeyOwner> found = new HashMap<>();
            for (int from = 0; from < hashes.size(); from += HASH_LOOKUP_CHUNK) {
                List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + HASH_LOOKUP_CHUNK));
                for (ApiKeyEntity key : em.createQuery("select k from ApiKey k join fetch k.consumer c"
                                + " join fetch c.bucket where k.keyHash in :hashes", ApiKeyEntity.class)
                        .setParameter("hashes", chunk).getResultList()) {
                    ConsumerEntity consumer = key.consumer;
                    found.put(key.keyHash, new KeyOwner(key.publicId, consumer.bucket.name, consumer.name,
                            key.isActiveAt(now)));
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
    public Optional<Leak> record(String actor, String keyHash, LeakReport report, LeakAction action) {
        checkActor(actor);
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(action, "action");
        try {
            return transactions.write(null, em -> {
                ApiKeyEntity key = em.createQuery("select k from ApiKey k join fetch k.consumer c join fetch c.bucket"
                                + " where k.keyHash = :hash", ApiKeyEntity.class)
                        .setParameter("hash", keyHash).getResultStream().findFirst().orElse(null);
                Instant now = transactions.now();
                if (key == null || !key.isActiveAt(now)) {
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
                journal.audit(em, actor, "key.leaked", "key", key.publicId, "bucket=" + leak.bucket + " consumer="
                        + leak.consumer + " source=" + leak.source + " action=" + leak.action);
                journal.webhooks().keyLeaked(em, key, leak.source, leak.url, leak.action, now);
                if (action == LeakAction.REVOKE) {
                    journal.revoke(em, actor, key, leak.bucket, leak.consumer, now);
                }
                return Optional.of(Records.toLeak(leak));
            });
        } catch (RuntimeException e) {
            if (Transactions.isUniqueViolation(e)) {
                // the same report, recorded by a concurrent request: this one rolled back entirely
                return Optional.empty();
            }
            throw e instanceof GatekeyException typed ? typed : Transactions.unavailable(e);
        }
    }

    /**
     * Leak records, newest first, keyset paginated.
     *
     * @throws InvalidInputException for a bad limit or cursor
     */
    public Page<Leak> list(Integer limit, String cursor) {
        return Pages.newestFirst(transactions, "Leak", LeakEntity.class, limit, cursor, l -> l.id, Records::toLeak);
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
}
