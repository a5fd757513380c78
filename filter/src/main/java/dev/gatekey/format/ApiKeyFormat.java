package dev.gatekey.format;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Gatekey key format: {@code {prefix}_{body}_{checksum}}.
 *
 * <ul>
 *   <li>{@code prefix}: the bucket's key prefix, {@value #PREFIX_REGEX};</li>
 *   <li>{@code body}: {@value #BODY_LENGTH} characters of {@code 0-9A-Za-z}, drawn uniformly from
 *       {@link SecureRandom} (about 238 bits);</li>
 *   <li>{@code checksum}: over the UTF-8 bytes of {@code prefix_body}, in base62, most significant
 *       digit first, left-padded with {@code 0}: CRC-32 in 6 characters, or the first 8 bytes of
 *       HMAC-SHA256 as an unsigned number in 11 characters (see {@link ChecksumMode}).</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe. {@link #prefixEnd}, {@link #hasValidChecksum(String, int, int)} and
 * {@link #screen} do no I/O and allocate nothing: garbage is rejected in well under a microsecond.
 */
public final class ApiKeyFormat {

    /** Allowed key prefixes. */
    public static final String PREFIX_REGEX = "^[a-z][a-z0-9]{0,19}(_[a-z0-9]{1,20})?$";

    /** Number of characters of the random body. */
    public static final int BODY_LENGTH = 40;

    private static final Pattern PREFIX = Pattern.compile(PREFIX_REGEX);
    private static final int MAX_PREFIX_LENGTH = 41;
    private static final String HMAC_ALGORITHM = "HmacSHA256";
    /** 4 * 62: bytes at or above it are redrawn, so every base62 digit is equally likely. */
    private static final int UNBIASED_BYTE_LIMIT = 248;
    /** What {@link #screen} answers for a text that is not a key of this format's shape. */
    public static final int MALFORMED = -1;

    /** 62^10: the low ten base62 digits of a checksum always fit in a long, eleven may not. */
    private static final long TEN_DIGITS = 839_299_365_868_340_224L;
    /**
     * Per thread, the bytes of {@code prefix_body} for the checksum and the {@link CRC32} that sums them, so a
     * request allocates neither. JDK types only (an {@code Object[]}, not a class of ours), so a container's thread
     * pool does not keep the application's class loader alive through it.
     */
    private static final ThreadLocal<Object[]> SCRATCH = ThreadLocal.withInitial(
            () -> new Object[] {new byte[MAX_PREFIX_LENGTH + 1 + BODY_LENGTH], new CRC32()});

    private final ChecksumMode mode;
    private final SecretKeySpec hmacKey;
    private final ThreadLocal<Mac> macs;
    private final SecureRandom random;

    private ApiKeyFormat(ChecksumMode mode, byte[] secret, SecureRandom random) {
        this.mode = mode;
        this.random = random;
        if (mode == ChecksumMode.HMAC) {
            this.hmacKey = new SecretKeySpec(secret, HMAC_ALGORITHM);
            this.macs = ThreadLocal.withInitial(this::newMac);
        } else {
            this.hmacKey = null;
            this.macs = null;
        }
    }

    /** The default format: CRC-32 checksums. */
    public static ApiKeyFormat crc32() {
        return new ApiKeyFormat(ChecksumMode.CRC32, null, new SecureRandom());
    }

    /**
     * HMAC-SHA256 checksums under {@code secret} (its UTF-8 bytes).
     *
     * @throws IllegalArgumentException when the secret is empty
     */
    public static ApiKeyFormat hmac(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("checksum secret must not be empty");
        }
        return new ApiKeyFormat(ChecksumMode.HMAC, secret.getBytes(StandardCharsets.UTF_8), new SecureRandom());
    }

    /**
     * The format for a mode; {@code secret} is required for {@link ChecksumMode#HMAC} and ignored otherwise.
     *
     * @throws IllegalArgumentException when HMAC is asked for without a secret
     */
    public static ApiKeyFormat of(ChecksumMode mode, String secret) {
        if (mode == ChecksumMode.HMAC) {
            if (secret == null) {
                throw new IllegalArgumentException("hmac checksums need a secret");
            }
            return hmac(secret);
        }
        return crc32();
    }

    public ChecksumMode mode() {
        return mode;
    }

    /** Total length of a key with this prefix. */
    public int keyLength(String prefix) {
        return prefix.length() + 1 + BODY_LENGTH + 1 + mode.length();
    }

    /** True when {@code prefix} matches {@value #PREFIX_REGEX}. */
    public static boolean isValidPrefix(String prefix) {
        return prefix != null && PREFIX.matcher(prefix).matches();
    }

    /**
     * A new key for {@code prefix}.
     *
     * @throws IllegalArgumentException when the prefix does not match {@value #PREFIX_REGEX}
     */
    public String generate(String prefix) {
        if (!isValidPrefix(prefix)) {
            throw new IllegalArgumentException("key prefix must match " + PREFIX_REGEX);
        }
        StringBuilder data = new StringBuilder(keyLength(prefix)).append(prefix).append('_');
        byte[] buffer = new byte[64];
        int drawn = 0;
        while (drawn < BODY_LENGTH) {
            random.nextBytes(buffer);
            for (int i = 0; i < buffer.length && drawn < BODY_LENGTH; i++) {
                int b = buffer[i] & 0xFF;
                if (b < UNBIASED_BYTE_LIMIT) {
                    data.append(Base62.ALPHABET.charAt(b % 62));
                    drawn++;
                }
            }
        }
        String prefixAndBody = data.toString();
        return prefixAndBody + '_' + checksum(prefixAndBody);
    }

    /** The checksum segment for {@code prefix_body}. */
    public String checksum(String prefixAndBody) {
        byte[] data = prefixAndBody.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[mode.length()];
        Base62.encodeUnsigned(checksumValue(data, data.length), out, 0, out.length);
        return new String(out);
    }

    /** The checksum of the first {@code length} bytes of {@code data}, as an unsigned number. */
    private long checksumValue(byte[] data, int length) {
        return checksumValue(data, length, new CRC32());
    }

    /** The same, summing CRC-32 checksums with {@code crc} (reset first). */
    private long checksumValue(byte[] data, int length, CRC32 crc) {
        if (mode == ChecksumMode.CRC32) {
            crc.reset();
            crc.update(data, 0, length);
            return crc.getValue();
        }
        Mac mac = macs.get();
        mac.update(data, 0, length);
        byte[] digest = mac.doFinal();
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xFF);
        }
        return value;
    }

    /**
     * Splits a key at its last two underscores and checks the shape of each segment: prefix syntax,
     * body length and alphabet, checksum length and alphabet for this format's mode. Does not check
     * the checksum itself.
     *
     * @return the segments, or empty when the key is malformed (including {@code null})
     */
    public Optional<ParsedKey> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        int prefixEnd = prefixEnd(key, 0, key.length());
        if (prefixEnd < 0) {
            return Optional.empty();
        }
        int checksumStart = key.length() - mode.length();
        return Optional.of(new ParsedKey(key, key.substring(0, prefixEnd), key.substring(prefixEnd + 1,
                checksumStart - 1), key.substring(checksumStart)));
    }

    /**
     * The shape check of {@link #parse} on {@code text[from, to)}, without allocating: the filter runs it on
     * every request, on the header value itself.
     *
     * @return the index in {@code text} of the underscore that ends the prefix, or -1 when the key is malformed
     */
    public int prefixEnd(String text, int from, int to) {
        int checksumStart = to - mode.length();
        int bodyStart = checksumStart - 1 - BODY_LENGTH;
        int prefixEnd = bodyStart - 1;
        int prefixLength = prefixEnd - from;
        if (from < 0 || to > text.length() || prefixLength < 1 || prefixLength > MAX_PREFIX_LENGTH
                || text.charAt(checksumStart - 1) != '_' || text.charAt(prefixEnd) != '_') {
            return -1;
        }
        if (!allBase62(text, bodyStart, checksumStart - 1) || !allBase62(text, checksumStart, to)
                || !isValidPrefixFast(text, from, prefixEnd)) {
            return -1;
        }
        return prefixEnd;
    }

    /** True when the key's checksum segment is the one this format computes for its prefix and body. */
    public boolean hasValidChecksum(ParsedKey parsed) {
        String key = parsed.key();
        return parsed.checksum().length() == mode.length() && hasValidChecksum(key, 0, key.length());
    }

    /**
     * The checksum check on the key {@code text[from, to)}: true when it is well formed ({@link #prefixEnd}) and its
     * checksum is right. No substring, no array per call.
     */
    public boolean hasValidChecksum(String text, int from, int to) {
        return screen(text, from, to) >= 0;
    }

    /**
     * {@link #prefixEnd} and {@link #hasValidChecksum(String, int, int)} in one pass over the key {@code text[from,
     * to)}, for the filter, which runs it on every request: each character is read once (the body's while copying it
     * for the checksum), the checksum segment is decoded and compared as a number in constant time, and nothing is
     * allocated.
     *
     * @return the index in {@code text} of the underscore that ends the prefix when the key is well formed and its
     *     checksum right; {@code ~prefixEnd} (a number below -1) when it is well formed and its checksum wrong;
     *     {@link #MALFORMED} when it is not well formed
     */
    public int screen(String text, int from, int to) {
        int checksumLength = mode.length();
        int checksumStart = to - checksumLength;
        int bodyEnd = checksumStart - 1;
        int prefixEnd = bodyEnd - BODY_LENGTH - 1;
        int prefixLength = prefixEnd - from;
        if (from < 0 || to > text.length() || prefixLength < 1 || prefixLength > MAX_PREFIX_LENGTH
                || text.charAt(bodyEnd) != '_' || text.charAt(prefixEnd) != '_'
                || !isValidPrefixFast(text, from, prefixEnd)) {
            return MALFORMED;
        }
        Object[] scratch = SCRATCH.get();
        byte[] bytes = (byte[]) scratch[0];
        // the prefix and its underscore are ASCII (checked above), the body must be base62: copied as it is checked
        for (int i = from; i <= prefixEnd; i++) {
            bytes[i - from] = (byte) text.charAt(i);
        }
        for (int i = prefixEnd + 1; i < bodyEnd; i++) {
            char c = text.charAt(i);
            if (Base62.digit(c) < 0) {
                return MALFORMED;
            }
            bytes[i - from] = (byte) c;
        }
        // the checksum segment as a number: its digits above the low ten (hmac's first), and its low ten
        int lowStart = Math.max(checksumStart, to - 10);
        long high = 0;
        long low = 0;
        for (int i = checksumStart; i < to; i++) {
            int digit = Base62.digit(text.charAt(i));
            if (digit < 0) {
                return MALFORMED;
            }
            if (i < lowStart) {
                high = high * 62 + digit;
            } else {
                low = low * 62 + digit;
            }
        }
        long value = checksumValue(bytes, bodyEnd - from, (CRC32) scratch[1]);
        long expectedHigh = lowStart > checksumStart ? Long.divideUnsigned(value, TEN_DIGITS) : 0;
        long expectedLow = lowStart > checksumStart ? Long.remainderUnsigned(value, TEN_DIGITS) : value;
        // constant time: in hmac mode the checksum is a MAC, and an early exit would tell a forger how much is right
        return ((high ^ expectedHigh) | (low ^ expectedLow)) == 0 ? prefixEnd : ~prefixEnd;
    }

    /** Parses and checks the checksum in one call: true only for a well-formed key with a valid checksum. */
    public boolean isValid(String key) {
        return parse(key).map(this::hasValidChecksum).orElse(false);
    }

    /**
     * The masked form shown in lists and UIs: prefix, underscore, first 4 body characters, {@code …},
     * last 4 characters of the key. Works on any well-formed key whatever its checksum mode.
     *
     * @throws IllegalArgumentException when the key is too short to be a Gatekey key
     */
    public static String mask(String key) {
        int checksumSeparator = key.lastIndexOf('_');
        int prefixEnd = checksumSeparator < 0 ? -1 : key.lastIndexOf('_', checksumSeparator - 1);
        if (prefixEnd < 1 || key.length() - prefixEnd < BODY_LENGTH + 3) {
            throw new IllegalArgumentException("not a key");
        }
        return key.substring(0, prefixEnd + 1 + 4) + '…' + key.substring(key.length() - 4);
    }

    /** Same as {@link #PREFIX_REGEX} without a regex engine on the request path. */
    private static boolean isValidPrefixFast(String text, int from, int to) {
        int length = to - from;
        char first = text.charAt(from);
        if (first < 'a' || first > 'z') {
            return false;
        }
        int separator = -1;
        for (int i = 1; i < length; i++) {
            char c = text.charAt(from + i);
            if (c == '_') {
                if (separator >= 0) {
                    return false;
                }
                separator = i;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        if (separator < 0) {
            return length <= 20;
        }
        int tail = length - separator - 1;
        return separator <= 20 && tail >= 1 && tail <= 20;
    }

    private static boolean allBase62(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Base62.digit(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC_ALGORITHM);
            mac.init(hmacKey);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeyFormat[" + mode.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
