package dev.gatekey.admin.portal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The portal's part of the admin WAR's settings (parsed by {@code AdminSettings}, which names and documents
 * them): who may frame it, where end users reach it, and how long its sessions last. Immutable.
 *
 * @param frameAncestors the CSP {@code frame-ancestors} source list, normalised to single spaces
 * @param url the portal's public URL ending in {@code /}; null: derived from each request that opens a session
 * @param idleTimeout a session ends after this long without a request
 * @param lifetime a session ends this long after it opened, used or not
 */
public record PortalSettings(String frameAncestors, String url, Duration idleTimeout, Duration lifetime) {

    /** Frames from nowhere. */
    public static final String NO_FRAMING = "'none'";
    public static final PortalSettings DEFAULT = new PortalSettings(NO_FRAMING, null, Duration.ofMinutes(30),
            Duration.ofHours(8));

    /** {@code 'self'}, or an origin pattern {@code [scheme://][*.]host[:port|:*]}, or a scheme {@code https:}. */
    private static final Pattern SOURCE = Pattern.compile("'self'|https?:|(https?://)?(\\*\\.)?[A-Za-z0-9-]+"
            + "(\\.[A-Za-z0-9-]+)*(:([0-9]{1,5}|\\*))?");

    public PortalSettings {
        Objects.requireNonNull(frameAncestors, "frameAncestors");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lifetime, "lifetime");
    }

    /** Whether the portal may be framed at all. */
    public boolean framable() {
        return !NO_FRAMING.equals(frameAncestors);
    }

    /**
     * A {@code frame-ancestors} value: {@code 'none'} alone, or sources as {@link #SOURCE} describes them,
     * separated by spaces; normalised to single spaces.
     *
     * @throws IllegalArgumentException with the reason (the caller names the setting)
     */
    public static String frameAncestors(String value) {
        String normalised = value.trim().replaceAll("\\s+", " ");
        if (normalised.equalsIgnoreCase(NO_FRAMING)) {
            return NO_FRAMING;
        }
        if (normalised.isEmpty()) {
            throw new IllegalArgumentException("expected 'none' or a space-separated list of 'self' and origins");
        }
        for (String source : normalised.split(" ")) {
            if (!SOURCE.matcher(source).matches()) {
                throw new IllegalArgumentException("[" + source + "] is not 'self', a scheme (https:) or an origin "
                        + "such as https://app.example.com or https://*.example.com");
            }
        }
        return normalised;
    }

    /**
     * The portal's public URL: absolute http(s), without query or fragment; a missing final {@code /} is added.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static String url(String value) {
        String trimmed = value.trim();
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return trimmed.endsWith("/") ? trimmed : trimmed + "/";
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new IllegalArgumentException("expected an absolute http(s) URL without query or fragment, e.g. "
                + "https://keys.example.com/gatekey/portal/");
    }
}
