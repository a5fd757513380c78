package dev.gatekey.admin.leak;

import dev.gatekey.config.Placeholders;
import dev.gatekey.persistence.LeakAction;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Configuration of leak detection (GitHub secret scanning), parsed and validated once from the context params
 * named in {@link #PARAMS}; {@code ${env:NAME}} and {@code ${sys:name}} expand. An invalid value is an
 * {@link IllegalArgumentException} naming the param, which fails the deployment.
 * <table>
 * <caption>Context params</caption>
 * <tr><th>param</th><th>format</th><th>default</th></tr>
 * <tr><td>{@code gatekey.githubPublicKeys}</td><td>GitHub's {@code public_keys} JSON document</td>
 *     <td>unset</td></tr>
 * <tr><td>{@code gatekey.githubPublicKeysFile}</td><td>path of a file holding that document (not with the
 *     above)</td><td>unset: neither set = the webhook answers 404</td></tr>
 * <tr><td>{@code gatekey.leakAction}</td><td>{@code notify} (record + audit) or {@code revoke} (and revoke)</td>
 *     <td>{@code notify}</td></tr>
 * <tr><td>{@code gatekey.leakWebhookUrl}</td><td>absolute http(s) URL told about each new leak</td>
 *     <td>unset</td></tr>
 * <tr><td>{@code gatekey.leakMaxBodyBytes}</td><td>1024..67108864, body limit of the webhook</td>
 *     <td>{@code 1048576}</td></tr>
 * </table>
 *
 * @param publicKeys null when GitHub secret scanning is not configured
 * @param webhookUrl null when no one is to be notified
 */
public record LeakSettings(GithubPublicKeys publicKeys, LeakAction action, URI webhookUrl, int maxBodyBytes) {

    public static final String GITHUB_PUBLIC_KEYS = "gatekey.githubPublicKeys";
    public static final String GITHUB_PUBLIC_KEYS_FILE = "gatekey.githubPublicKeysFile";
    public static final String LEAK_ACTION = "gatekey.leakAction";
    public static final String LEAK_WEBHOOK_URL = "gatekey.leakWebhookUrl";
    public static final String LEAK_MAX_BODY_BYTES = "gatekey.leakMaxBodyBytes";

    /** Every param of this record: the admin WAR's listener hands them here rather than to its own settings. */
    public static final Set<String> PARAMS = Set.of(GITHUB_PUBLIC_KEYS, GITHUB_PUBLIC_KEYS_FILE, LEAK_ACTION,
            LEAK_WEBHOOK_URL, LEAK_MAX_BODY_BYTES);

    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Connect and answer timeout of the leak webhook. */
    public static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(5);

    /** Whether {@code POST /secret-scanning/github} is served. */
    public boolean githubEnabled() {
        return publicKeys != null;
    }

    /**
     * Parses the params of {@link #PARAMS} found in {@code contextParams} (others are ignored).
     *
     * @throws IllegalArgumentException naming the param
     */
    public static LeakSettings parse(Map<String, String> contextParams, UnaryOperator<String> environment) {
        String inline = value(contextParams, GITHUB_PUBLIC_KEYS, environment);
        String file = value(contextParams, GITHUB_PUBLIC_KEYS_FILE, environment);
        if (inline != null && file != null) {
            throw new IllegalArgumentException("Context parameters [" + GITHUB_PUBLIC_KEYS + "] and ["
                    + GITHUB_PUBLIC_KEYS_FILE + "] cannot both be set");
        }
        GithubPublicKeys keys = null;
        if (inline != null) {
            keys = publicKeys(GITHUB_PUBLIC_KEYS, inline);
        } else if (file != null) {
            keys = publicKeys(GITHUB_PUBLIC_KEYS_FILE, read(file));
        }
        String actionValue = value(contextParams, LEAK_ACTION, environment);
        LeakAction action = LeakAction.NOTIFY;
        if (actionValue != null) {
            action = switch (actionValue.trim().toLowerCase(Locale.ROOT)) {
                case "notify" -> LeakAction.NOTIFY;
                case "revoke" -> LeakAction.REVOKE;
                default -> throw illegal(LEAK_ACTION, actionValue, "notify or revoke");
            };
        }
        String url = value(contextParams, LEAK_WEBHOOK_URL, environment);
        URI webhook = url == null ? null : webhookUrl(url.trim());
        int maxBody = DEFAULT_MAX_BODY_BYTES;
        String size = value(contextParams, LEAK_MAX_BODY_BYTES, environment);
        if (size != null) {
            try {
                maxBody = Integer.parseInt(size.trim());
            } catch (NumberFormatException e) {
                throw illegal(LEAK_MAX_BODY_BYTES, size, "1024..67108864");
            }
            if (maxBody < 1024 || maxBody > 64 * 1024 * 1024) {
                throw illegal(LEAK_MAX_BODY_BYTES, size, "1024..67108864");
            }
        }
        return new LeakSettings(keys, action, webhook, maxBody);
    }

    private static String value(Map<String, String> params, String name, UnaryOperator<String> environment) {
        String value = params.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Placeholders.expand(value, environment);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in context parameter [" + name + "]");
        }
    }

    private static GithubPublicKeys publicKeys(String param, String document) {
        try {
            return GithubPublicKeys.parse(document);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Illegal value for context parameter [" + param + "]: "
                    + e.getMessage(), e);
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException("Context parameter [" + GITHUB_PUBLIC_KEYS_FILE + "]: cannot read ["
                    + file + "]: " + e.getMessage(), e);
        }
    }

    private static URI webhookUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // a URL may carry credentials: do not echo it
        throw new IllegalArgumentException("Illegal value for context parameter [" + LEAK_WEBHOOK_URL
                + "]: it must be an absolute http or https URL");
    }

    private static IllegalArgumentException illegal(String param, String value, String expected) {
        return new IllegalArgumentException("Illegal value for context parameter [" + param + "]: [" + value
                + "] (expected " + expected + ")");
    }

    /** The effective settings for the start-up log line; the webhook URL shows its host only. */
    @Override
    public String toString() {
        return "githubSecretScanning=" + (publicKeys == null ? "off" : "on, publicKeys=" + publicKeys.identifiers())
                + ", leakAction=" + action.value() + ", leakWebhook="
                + (webhookUrl == null ? "none" : webhookUrl.getScheme() + "://" + webhookUrl.getHost() + "/…")
                + ", leakMaxBodyBytes=" + maxBodyBytes;
    }
}
