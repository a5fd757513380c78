package dev.gatekey.admin.leak;

import dev.gatekey.config.Description;
import dev.gatekey.config.SettingsReader;
import dev.gatekey.persistence.LeakAction;
import java.io.IOException;
import java.net.URI;
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
 * <p>The param names are the public {@code String} constants named after them ({@link #LEAK_ACTION} is
 * {@code gatekey.leakAction}), {@link #PARAMS} all of them; a default is the constant {@code DEFAULT_} + that
 * name. Parsed with {@link SettingsReader}.
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

    public static final String DEFAULT_LEAK_ACTION = "notify";
    public static final int DEFAULT_LEAK_MAX_BODY_BYTES = 1024 * 1024;
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
        SettingsReader s = SettingsReader.builder(SettingsReader.Kind.CONTEXT_PARAMS).names(PARAMS)
                .read(contextParams, environment);
        if (s.has(GITHUB_PUBLIC_KEYS) && s.has(GITHUB_PUBLIC_KEYS_FILE)) {
            throw s.notBoth(GITHUB_PUBLIC_KEYS, GITHUB_PUBLIC_KEYS_FILE);
        }
        GithubPublicKeys keys = s.hidingValue(GITHUB_PUBLIC_KEYS, null, GithubPublicKeys::parse);
        if (s.has(GITHUB_PUBLIC_KEYS_FILE)) {
            String document = read(s, s.get(GITHUB_PUBLIC_KEYS_FILE));
            try {
                keys = GithubPublicKeys.parse(document);
            } catch (IllegalArgumentException e) {
                throw s.illegalWithoutValue(GITHUB_PUBLIC_KEYS_FILE, e.getMessage(), e);
            }
        }
        LeakAction action = s.parsed(LEAK_ACTION, action(DEFAULT_LEAK_ACTION), LeakSettings::action,
                "notify or revoke");
        // a URL may carry credentials: a refusal does not echo it
        URI webhook = s.url(LEAK_WEBHOOK_URL, scheme -> scheme.equalsIgnoreCase("http")
                || scheme.equalsIgnoreCase("https"), "it must be an absolute http or https URL");
        int maxBody = s.integer(LEAK_MAX_BODY_BYTES, DEFAULT_LEAK_MAX_BODY_BYTES, 1024, 64 * 1024 * 1024);
        return new LeakSettings(keys, action, webhook, maxBody);
    }

    private static LeakAction action(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "notify" -> LeakAction.NOTIFY;
            case "revoke" -> LeakAction.REVOKE;
            default -> null;
        };
    }

    private static String read(SettingsReader s, String file) {
        try {
            return Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            throw s.problem(GITHUB_PUBLIC_KEYS_FILE, "cannot read [" + file + "]: " + e.getMessage(), e);
        }
    }

    /** The effective settings for the start-up log line; the webhook URL shows its host only. */
    @Override
    public String toString() {
        Description d = new Description().add("githubSecretScanning", publicKeys == null ? "off" : "on");
        if (publicKeys != null) {
            d.add("publicKeys", publicKeys.identifiers());
        }
        return d.add("leakAction", action.value())
                .add("leakWebhook", webhookUrl == null ? "none" : webhookUrl.getScheme() + "://" + webhookUrl.getHost()
                        + "/…")
                .add("leakMaxBodyBytes", maxBodyBytes).toString();
    }
}
