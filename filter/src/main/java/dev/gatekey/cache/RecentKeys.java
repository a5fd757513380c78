package dev.gatekey.cache;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The cached path's index: cache entries by a 128-bit keyed tag of the key text ({@link SipHash128} under a
 * random key drawn once per index), so a cached key is found without its SHA-256, which took about 60 % of the
 * cached path. The SHA-256 is still computed on a miss here, to look the key up by hash in {@link KeyCache}
 * (where the change feed finds it by hash) and in the store.
 *
 * <p>Direct-mapped: each tag has one slot (a power-of-two table), a new entry replaces what was in its slot,
 * so the index never holds more than its size, and a slot lost to a collision only sends its key the SHA-256 way
 * again. Entries it returns are checked as current ({@link KeyCache.Entry#isCurrentAt}): an entry the cache
 * invalidated, replaced, evicted or let expire is never answered from here, so the index adds no staleness.
 *
 * <p>Why a tag may stand in for the hash: SipHash is a pseudorandom function, so without the secret 128-bit key
 * (drawn from {@link SecureRandom}, never stored or logged, different on every node and at every start) nobody can
 * find a key text whose tag equals a cached key's tag faster than by guessing, about 2^128 tries: as hard as a
 * collision of SHA-256 itself. Keys are not stored here, only their tags.
 *
 * <p>Thread-safe without locks: slots are immutable and published through plain array stores; a thread that
 * does not see a new slot yet takes the SHA-256 way, which is only slower.
 */
final class RecentKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Smallest and largest table: 2^6 and 2^20 slots (8 MB of references at most). */
    private static final int MIN_BITS = 6;
    private static final int MAX_BITS = 20;

    /**
     * Per thread, the tag being computed (low, high). A JDK type ({@code long[]}), so a container's thread pool does
     * not keep the application's class loader alive through it.
     */
    private static final ThreadLocal<long[]> TAGS = ThreadLocal.withInitial(() -> new long[2]);

    private final long k0;
    private final long k1;
    private final Slot[] slots;
    private final int mask;

    /** A table of at least {@code capacity} slots (between 64 and 2^20, a power of two). */
    RecentKeys(long capacity) {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        ByteBuffer words = ByteBuffer.wrap(key);
        this.k0 = words.getLong();
        this.k1 = words.getLong();
        int bits = MIN_BITS;
        while (bits < MAX_BITS && (1L << bits) < capacity) {
            bits++;
        }
        this.slots = new Slot[1 << bits];
        this.mask = slots.length - 1;
    }

    /** The entry remembered for the key {@code text[from, to)}, if it is still current at {@code nowNanos}. */
    KeyCache.Entry get(String text, int from, int to, long nowNanos) {
        long[] tag = TAGS.get();
        SipHash128.hash(k0, k1, text, from, to, tag);
        Slot slot = slots[(int) tag[0] & mask];
        if (slot == null || slot.low != tag[0] || slot.high != tag[1] || !slot.entry.isCurrentAt(nowNanos)) {
            return null;
        }
        return slot.entry;
    }

    /** Remembers the cache's entry for the key {@code text[from, to)}. */
    void put(String text, int from, int to, KeyCache.Entry entry) {
        long[] tag = TAGS.get();
        SipHash128.hash(k0, k1, text, from, to, tag);
        slots[(int) tag[0] & mask] = new Slot(tag[0], tag[1], entry);
    }

    /** Forgets every key (the entries are retired by the cache as well; this frees the memory at once). */
    void clear() {
        Arrays.fill(slots, null);
    }

    /** Number of slots. */
    int size() {
        return slots.length;
    }

    private static final class Slot {
        final long low;
        final long high;
        final KeyCache.Entry entry;

        Slot(long low, long high, KeyCache.Entry entry) {
            this.low = low;
            this.high = high;
            this.entry = entry;
        }
    }
}
