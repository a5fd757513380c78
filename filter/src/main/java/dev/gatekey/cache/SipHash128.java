package dev.gatekey.cache;

/**
 * SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein; the reference implementation's {@code outlen = 16}),
 * over the low bytes of a range of characters. A keyed pseudorandom function: without the 128-bit key, nobody
 * can find two inputs with the same tag, or an input with a given tag, faster than by guessing, which is what
 * lets {@link RecentKeys} stand a key's tag in for its SHA-256.
 *
 * <p>Mutable and not thread-safe: one instance per thread, reused for every input, so hashing allocates
 * nothing. {@link #hash} leaves the tag in {@link #high()} and {@link #low()} (the tag's bytes 8..15 and 0..7,
 * little-endian).
 */
final class SipHash128 {

    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    private long low;
    private long high;

    /** With the key {@code k0 || k1} (each little-endian, as the reference reads its 16 key bytes). */
    SipHash128(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** Hashes the low byte of each character of {@code text[from, to)}. */
    void hash(CharSequence text, int from, int to) {
        v0 = 0x736f6d6570736575L ^ k0;
        v1 = 0x646f72616e646f6dL ^ k1 ^ 0xee;
        v2 = 0x6c7967656e657261L ^ k0;
        v3 = 0x7465646279746573L ^ k1;
        int length = to - from;
        int end = from + (length & ~7);
        int i = from;
        for (; i < end; i += 8) {
            long m = (text.charAt(i) & 0xFFL)
                    | (text.charAt(i + 1) & 0xFFL) << 8
                    | (text.charAt(i + 2) & 0xFFL) << 16
                    | (text.charAt(i + 3) & 0xFFL) << 24
                    | (text.charAt(i + 4) & 0xFFL) << 32
                    | (text.charAt(i + 5) & 0xFFL) << 40
                    | (text.charAt(i + 6) & 0xFFL) << 48
                    | (text.charAt(i + 7) & 0xFFL) << 56;
            compress(m);
        }
        long last = (long) length << 56;
        for (int shift = 0; i < to; i++, shift += 8) {
            last |= (text.charAt(i) & 0xFFL) << shift;
        }
        compress(last);
        v2 ^= 0xee;
        round();
        round();
        round();
        round();
        low = v0 ^ v1 ^ v2 ^ v3;
        v1 ^= 0xdd;
        round();
        round();
        round();
        round();
        high = v0 ^ v1 ^ v2 ^ v3;
    }

    /** Bytes 0..7 of the last tag, little-endian. */
    long low() {
        return low;
    }

    /** Bytes 8..15 of the last tag, little-endian. */
    long high() {
        return high;
    }

    private void compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
