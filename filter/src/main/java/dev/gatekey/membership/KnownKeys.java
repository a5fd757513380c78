package dev.gatekey.membership;

import dev.gatekey.store.KeyStore;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter of the SHA-256 hashes of every key a {@link KeyStore} has: {@link #mightContain} is never false
 * for a key that was {@linkplain #reload loaded} or {@linkplain #add added}, and true for a key nobody created
 * with a probability of 0.06&nbsp;% or less while it holds no more keys than
 * its {@linkplain #capacity() capacity}.
 *
 * <p>It is sized at {@value #BITS_PER_KEY} bits per key for twice the keys it was loaded with (at least
 * {@value #MIN_CAPACITY}): 1,000,000 keys take 4 MiB. Past its capacity the false-positive rate rises (never the
 * false negatives), {@link #isOverCapacity()} turns true, and the owner reloads it, twice as large.
 *
 * <p>The hashes are uniformly random already, so its probe positions are taken from the hash's own bits:
 * no hashing, no allocation per check. Until the first successful {@link #reload} everything "might" be there.
 * Thread-safe: {@link #add} may race with checks and with itself.
 */
public final class KnownKeys {

    /** Bits per key of capacity. */
    static final int BITS_PER_KEY = 16;
    /** Bits probed per key: the best number for 16 bits per key at half capacity. */
    static final int PROBES = 8;
    /** Least number of keys a filter is sized for. */
    static final int MIN_CAPACITY = 1 << 16;

    private final KeyStore store;
    private volatile Bits bits;

    /** An empty filter, not ready until {@link #reload} succeeds. */
    public KnownKeys(KeyStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Reads every key hash from the store into a new filter and uses it from then on.
     *
     * @return false when the store does not list its keys ({@link KeyStore#forEachKeyHash}'s default)
     * @throws dev.gatekey.store.KeyStoreException when the store cannot answer; the current filter stays
     */
    public boolean reload() {
        HashList hashes = new HashList();
        if (!store.forEachKeyHash(hashes::add)) {
            return false;
        }
        Bits loaded = new Bits(Math.max(MIN_CAPACITY, 2L * hashes.size()));
        for (int i = 0; i < hashes.size(); i++) {
            loaded.add(hashes.first(i), hashes.second(i));
        }
        loaded.count.set(hashes.size());
        bits = loaded;
        return true;
    }

    /** True once a {@link #reload} succeeded: until then {@link #mightContain} is always true. */
    public boolean isReady() {
        return bits != null;
    }

    /** False only when no key with this hash was loaded or added. */
    public boolean mightContain(String sha256Hex) {
        Bits current = bits;
        return current == null || current.mightContain(first(sha256Hex), second(sha256Hex));
    }

    /** Records a key that exists (a creation on the change feed, a key the store returned). */
    public void add(String sha256Hex) {
        Bits current = bits;
        if (current != null) {
            current.add(first(sha256Hex), second(sha256Hex));
            current.count.incrementAndGet();
        }
    }

    /** True when more keys were added than the filter was sized for: time to {@link #reload}. */
    public boolean isOverCapacity() {
        Bits current = bits;
        return current != null && current.count.get() > current.capacity;
    }

    /** Keys the current filter was sized for, 0 before the first load. */
    public long capacity() {
        Bits current = bits;
        return current == null ? 0 : current.capacity;
    }

    /** Keys loaded and added since the last load (an added key may be counted twice). */
    public long size() {
        Bits current = bits;
        return current == null ? 0 : current.count.get();
    }

    static long first(String hash) {
        return half(hash, 0);
    }

    /** Odd, so the probe sequence visits distinct bits. */
    static long second(String hash) {
        return half(hash, 16) | 1;
    }

    /** 64 bits from 16 hex digits of the hash; any other text still maps to a stable number. */
    private static long half(String hash, int from) {
        long value = 0;
        int length = hash.length();
        for (int i = from; i < from + 16; i++) {
            char c = i < length ? hash.charAt(i) : 0;
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            value = digit >= 0 ? (value << 4) | digit : (value * 31 + c) ^ (value >>> 29);
        }
        return value;
    }

    /** The bit array of one filter generation. */
    private static final class Bits {
        final long capacity;
        final long mask;
        final AtomicLongArray words;
        final AtomicLong count = new AtomicLong();

        Bits(long capacity) {
            this.capacity = capacity;
            long bitCount = Long.highestOneBit(capacity * BITS_PER_KEY - 1) << 1;
            this.mask = bitCount - 1;
            this.words = new AtomicLongArray(Math.toIntExact(bitCount >>> 6));
        }

        boolean mightContain(long h1, long h2) {
            long probe = h1;
            for (int i = 0; i < PROBES; i++) {
                long bit = probe & mask;
                if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
                probe += h2;
            }
            return true;
        }

        void add(long h1, long h2) {
            long probe = h1;
            for (int i = 0; i < PROBES; i++) {
                long bit = probe & mask;
                int word = (int) (bit >>> 6);
                long m = 1L << bit;
                long current = words.get(word);
                while ((current & m) == 0 && !words.compareAndSet(word, current, current | m)) {
                    current = words.get(word);
                }
                probe += h2;
            }
        }
    }

    /** Two longs per hash while loading: 16 bytes per key instead of a 64-character string. */
    private static final class HashList {
        private long[] values = new long[2 * 1024];
        private int size;

        void add(String hash) {
            if (2 * size + 2 > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[2 * size] = KnownKeys.first(hash);
            values[2 * size + 1] = KnownKeys.second(hash);
            size++;
        }

        int size() {
            return size;
        }

        long first(int i) {
            return values[2 * i];
        }

        long second(int i) {
            return values[2 * i + 1];
        }
    }
}
