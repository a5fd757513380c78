package dev.gatekey.format;

import java.util.Arrays;

/**
 * The base62 alphabet {@code 0-9A-Za-z}, in that order, and the digit arithmetic of key checksums. Public for the
 * alphabet only: every Gatekey module that writes base62 text (public ids, benchmark keys) takes it from here.
 */
public final class Base62 {

    /** The 62 digits, {@code 0-9A-Za-z}: digit {@code d} is {@code ALPHABET.charAt(d)}. */
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /** Digit values by ASCII character, -1 for the characters that are not digits. */
    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int d = 0; d < ALPHABET.length(); d++) {
            VALUES[ALPHABET.charAt(d)] = (byte) d;
        }
    }

    private Base62() {
    }

    /** The value of the digit {@code c}, or a negative number when it is not one (no branch on the digit). */
    static int digit(char c) {
        // the table answers -1 for ASCII that is not a digit; (0x7F - c) >> 31 is -1 above ASCII, else 0
        return VALUES[c & 0x7F] | ((0x7F - c) >> 31);
    }

    /** {@code value}, read as unsigned, in {@code width} base62 digits, most significant first, left-padded with 0. */
    static void encodeUnsigned(long value, char[] out, int offset, int width) {
        long v = value;
        int i = offset + width - 1;
        // Unsigned division only while the value is "negative"; after one step it fits in a signed long,
        // and division by a constant compiles to a multiplication.
        if (v < 0 && i >= offset) {
            out[i--] = ALPHABET.charAt((int) Long.remainderUnsigned(v, 62));
            v = Long.divideUnsigned(v, 62);
        }
        for (; i >= offset; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
    }
}
