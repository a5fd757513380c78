package dev.gatekey.admin.api;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.format.ChecksumMode;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The regular expressions that find this deployment's keys, as secret scanners want them
 * ({@code docs/keys.md}: {@code \bP_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}\b} for crc32, {@code {11}} for hmac). Prefixes
 * are {@code [a-z0-9_]} only, so they need no quoting.
 */
public final class SecretScanningPatterns {

    private SecretScanningPatterns() {
    }

    /** The pattern of one prefix. */
    public static String regex(String prefix, ChecksumMode mode) {
        return "\\b" + prefix + tail(mode);
    }

    /** One pattern for every prefix, e.g. {@code \b(?:acme|demo_live)_[0-9A-Za-z]{40}_[0-9A-Za-z]{6}\b}; null for none. */
    public static String regex(Collection<String> prefixes, ChecksumMode mode) {
        if (prefixes.isEmpty()) {
            return null;
        }
        if (prefixes.size() == 1) {
            return regex(prefixes.iterator().next(), mode);
        }
        return "\\b(?:" + prefixes.stream().sorted().collect(Collectors.joining("|")) + ")" + tail(mode);
    }

    private static String tail(ChecksumMode mode) {
        return "_[0-9A-Za-z]{" + ApiKeyFormat.BODY_LENGTH + "}_[0-9A-Za-z]{" + mode.length() + "}\\b";
    }
}
