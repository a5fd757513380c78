package dev.gatekey.format;

/**
 * The base62 alphabet {@code 0-9A-Za-z}, in that order, and the digit arithmetic of key checksums. Public for the
 * alphabet only: every Gatekey module that writes base62 text (public ids, benchmark keys) takes it from here.
 */
public final class Base62 {

    /** The 62 digits, {@code 0-9A-Za-z}: digit {@code d} is {@code ALPHABET.charAt(d)}. */
    public static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private Base62() {
    }

    static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** {@code value}, read as unsigned, in {@code width} base62 digits, most significant first, left-padded with 0. */
    static void encodeUnsigned(long value, char[] out, int offset, int width) {
        long v = value;
        int i = offset + width - 1;
        // Unsigned division only while the value is "negative"; after one step it fits in a signed long,
        // and division by a constant compiles to a multiplication (this runs for every forged key).
        if (v < 0 && i >= offset) {
            out[i--] = ALPHABET.charAt((int) Long.remainderUnsigned(v, 62));
            v = Long.divideUnsigned(v, 62);
        }
        for (; i >= offset; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
    }

    /**
     * Compares {@code value} in {@code width} digits (as {@link #encodeUnsigned} writes it) with
     * {@code text[offset, offset + width)}, in time independent of where they differ, without an array.
     *
     * @return 0 when equal
     */
    static int differenceFrom(long value, String text, int offset, int width) {
        long v = value;
        int difference = 0;
        int i = offset + width - 1;
        if (v < 0 && i >= offset) {
            difference |= ALPHABET.charAt((int) Long.remainderUnsigned(v, 62)) ^ text.charAt(i--);
            v = Long.divideUnsigned(v, 62);
        }
        for (; i >= offset; i--) {
            difference |= ALPHABET.charAt((int) (v % 62)) ^ text.charAt(i);
            v /= 62;
        }
        return difference;
    }
}
