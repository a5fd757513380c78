package dev.gatekey.cache;

/**
 * SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein; the reference implementation's {@code outlen = 16}),
 * over the low bytes of a range of characters. A keyed pseudorandom function: without the 128-bit key, nobody
 * can find two inputs with the same tag, or an input with a given tag, faster than by guessing, which is what
 * lets {@link RecentKeys} stand a key's tag in for its SHA-256.
 *
 * <p>Stateless: the state lives in local variables (registers) and the tag is written to the caller's array, so
 * hashing allocates nothing and keeps no object of its own on any thread.
 */
final class SipHash128 {

    private SipHash128() {
    }

    /**
     * Hashes the low byte of each character of {@code text[from, to)} under the key {@code k0 || k1} (each
     * little-endian, as the reference reads its 16 key bytes), and writes the tag's bytes 0..7 to {@code tag[0]} and
     * bytes 8..15 to {@code tag[1]} (little-endian).
     */
    static void hash(long k0, long k1, String text, int from, int to, long[] tag) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1 ^ 0xee;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int length = to - from;
        int end = from + (length & ~7);
        // every full 8-byte word, then the last one (the remaining bytes and the length): two rounds each
        for (int i = from; i <= end; i += 8) {
            long m;
            if (i < end) {
                m = (text.charAt(i) & 0xFFL)
                        | (text.charAt(i + 1) & 0xFFL) << 8
                        | (text.charAt(i + 2) & 0xFFL) << 16
                        | (text.charAt(i + 3) & 0xFFL) << 24
                        | (text.charAt(i + 4) & 0xFFL) << 32
                        | (text.charAt(i + 5) & 0xFFL) << 40
                        | (text.charAt(i + 6) & 0xFFL) << 48
                        | (text.charAt(i + 7) & 0xFFL) << 56;
            } else {
                m = (long) length << 56;
                for (int j = end, shift = 0; j < to; j++, shift += 8) {
                    m |= (text.charAt(j) & 0xFFL) << shift;
                }
            }
            v3 ^= m;
            for (int round = 0; round < 2; round++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        // finalization: four rounds for the low half of the tag, four more for the high half
        v2 ^= 0xee;
        for (int round = 0; round < 8; round++) {
            if (round == 4) {
                tag[0] = v0 ^ v1 ^ v2 ^ v3;
                v1 ^= 0xdd;
            }
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13) ^ v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16) ^ v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21) ^ v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17) ^ v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        tag[1] = v0 ^ v1 ^ v2 ^ v3;
    }
}
