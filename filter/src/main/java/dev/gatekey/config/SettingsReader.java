package dev.gatekey.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.TemporalUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An immutable view of named configuration values, {@linkplain Placeholders expanded} once when read, with typed
 * getters that refuse a bad value in one wording: {@code Illegal value for parameter [name]: [value]}. A secret
 * setting's value shows as {@value Redaction#HIDDEN}, a URL setting's {@linkplain Redaction#url redacted}.
 *
 * <p>Getters take the default used when the setting is unset; text values are trimmed before they are checked
 * (except where a getter says it hands over the value as set).
 */
public final class SettingsReader {

    /** Which settings are read: the wording of messages follows it. */
    public enum Kind {
        /**
         * A filter's init-params: "parameter"; an unknown one is quoted with its (shown) value; a number out of
         * range is refused without the range.
         */
        INIT_PARAMS,
        /**
         * A web application's context params: "context parameter"; an unknown one is named without its value; a
         * number out of range is refused stating the range.
         */
        CONTEXT_PARAMS;

        String noun() {
            return this == INIT_PARAMS ? "parameter" : "context parameter";
        }

        /** {@code Parameter} or {@code Context parameter}, as a message starts. */
        String capitalized() {
            return this == INIT_PARAMS ? "Parameter" : "Context parameter";
        }
    }

    private final Kind kind;
    private final Map<String, String> values;
    private final Set<String> secrets;
    private final Set<String> urls;

    SettingsReader(Kind kind, Map<String, String> values, Set<String> secrets, Set<String> urls) {
        this.kind = kind;
        this.values = Map.copyOf(values);
        this.secrets = Set.copyOf(secrets);
        this.urls = Set.copyOf(urls);
    }

    /** Starts describing the settings to read. */
    public static SettingsReaderBuilder builder(Kind kind) {
        return new SettingsReaderBuilder(kind);
    }

    /** Whether the setting is set. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value as set (expanded, not trimmed), {@code null} when unset. */
    public String get(String name) {
        return values.get(name);
    }

    /** The value as set, {@code defaultValue} when unset. */
    public String get(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    /**
     * The value as set.
     *
     * @throws SettingsException {@code Missing required parameter [name]} when unset or blank
     */
    public String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new SettingsException("Missing required " + kind.noun() + " [" + name + "]");
        }
        return value;
    }

    /** The trimmed value, which must match {@code pattern} whole. */
    public String matching(String name, String defaultValue, Pattern pattern) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!pattern.matcher(value.trim()).matches()) {
            throw illegal(name);
        }
        return value.trim();
    }

    /**
     * The distinct comma-separated items of a required value, trimmed, in order; each must match {@code item}
     * whole, else the whole value is refused.
     */
    public List<String> list(String name, Pattern item) {
        String value = required(name);
        Set<String> items = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            if (!item.matcher(part.trim()).matches()) {
                throw illegal(name);
            }
            items.add(part.trim());
        }
        return List.copyOf(items);
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean bool(String name, boolean defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw illegal(name);
        };
    }

    /** The trimmed value, which must be one of {@code allowed} exactly (case included). */
    public String choice(String name, String defaultValue, String... allowed) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!Arrays.asList(allowed).contains(value.trim())) {
            throw illegal(name);
        }
        return value.trim();
    }

    /** A whole number in {@code min..max}. */
    public long number(String name, long defaultValue, long min, long max) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw kind == Kind.CONTEXT_PARAMS ? expected(name, min + ".." + max) : illegal(name);
    }

    /** {@link #number} within the range of an {@code int}. */
    public int integer(String name, int defaultValue, int min, int max) {
        return (int) number(name, defaultValue, min, max);
    }

    /** A whole number of {@code unit} in {@code min..max}, as a duration. */
    public Duration duration(String name, TemporalUnit unit, long defaultValue, long min, long max) {
        return Duration.of(number(name, defaultValue, min, max), unit);
    }

    /**
     * The value as set, turned into a {@code T} by {@code parser}; a parser that throws
     * {@link IllegalArgumentException} or returns {@code null} refuses it (its message is not shown).
     */
    public <T> T parsed(String name, T defaultValue, Function<String, T> parser) {
        return parsed(name, defaultValue, parser, null);
    }

    /**
     * {@link #parsed(String, Object, Function)}, the refusal stating what is expected:
     * {@code Illegal value for parameter [name]: [value] (expected notify or revoke)}.
     */
    public <T> T parsed(String name, T defaultValue, Function<String, T> parser, String expected) {
        return convert(name, defaultValue, parser, e -> expected == null ? illegal(name) : expected(name, expected));
    }

    /**
     * The value as set, turned into a {@code T} by {@code parser}; its {@link IllegalArgumentException}, whose
     * message must quote no secret, follows the value: {@code ...: [value]: reason}.
     */
    public <T> T explained(String name, T defaultValue, Function<String, T> parser) {
        return convert(name, defaultValue, parser, e -> illegal(name, e.getMessage()));
    }

    /**
     * The value as set, turned into a {@code T} by {@code parser}; its {@link IllegalArgumentException}, whose
     * message must quote no secret, replaces the value (which may be one): {@code ...: reason}.
     */
    public <T> T hidingValue(String name, T defaultValue, Function<String, T> parser) {
        return convert(name, defaultValue, parser, e -> illegalWithoutValue(name, e.getMessage(), e));
    }

    private <T> T convert(String name, T defaultValue, Function<String, T> parser,
            Function<IllegalArgumentException, SettingsException> refusal) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            T converted = parser.apply(value);
            if (converted == null) {
                throw new IllegalArgumentException("no value");
            }
            return converted;
        } catch (IllegalArgumentException e) {
            throw refusal.apply(e);
        }
    }

    /**
     * The trimmed value as an absolute URL with a host whose scheme {@code scheme} accepts, {@code null} when
     * unset. A refusal shows the value {@linkplain Redaction#url redacted}.
     */
    public URI url(String name, Predicate<String> scheme) {
        return url(name, scheme, null);
    }

    /**
     * {@link #url(String, Predicate)}, a refusal stating {@code requirement} instead of the value (a URL that may
     * carry credentials in any form): {@code ...: it must be an absolute https URL}.
     */
    public URI url(String name, Predicate<String> scheme, String requirement) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() != null && scheme.test(uri.getScheme()) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw requirement == null ? illegal(name) : illegalWithoutValue(name, requirement, null);
    }

    /** The trimmed value as an absolute path, {@code null} when unset; blank is refused. */
    public Path path(String name) {
        String value = values.get(name);
        if (value == null) {
            return null;
        }
        try {
            if (!value.isBlank()) {
                return Path.of(value.trim()).toAbsolutePath();
            }
        } catch (InvalidPathException e) {
            // refused below
        }
        throw illegal(name);
    }

    /** {@code Illegal value for parameter [name]: [value]}, the value as it may be shown. */
    public SettingsException illegal(String name) {
        return new SettingsException(illegalPrefix(name) + "[" + shown(name, values.get(name)) + "]");
    }

    /** {@code Illegal value for parameter [name]: [value]: reason}; {@code reason} must quote no secret. */
    public SettingsException illegal(String name, String reason) {
        return new SettingsException(illegal(name).getMessage() + ": " + reason);
    }

    /** {@code Illegal value for parameter [name]: [value] (expected what)}. */
    public SettingsException expected(String name, String what) {
        return new SettingsException(illegal(name).getMessage() + " (expected " + what + ")");
    }

    /**
     * {@code Illegal value for parameter [name]: reason}, for a value that may be a secret in any form;
     * {@code reason} must quote no secret.
     *
     * @param cause what refused it, may be {@code null}
     */
    public SettingsException illegalWithoutValue(String name, String reason, Throwable cause) {
        return new SettingsException(illegalPrefix(name) + reason, cause);
    }

    /** {@code Parameters [one] and [other] cannot both be set}. */
    public SettingsException notBoth(String one, String other) {
        return new SettingsException(kind.capitalized() + "s [" + one + "] and [" + other + "] cannot both be set");
    }

    /** {@code Parameter [name] needs [other]}. */
    public SettingsException needs(String name, String other) {
        return new SettingsException(kind.capitalized() + " [" + name + "] needs [" + other + "]");
    }

    /** {@code Parameter [name] is [value] but [other] is not set}. */
    public SettingsException isButNotSet(String name, String value, String other) {
        return new SettingsException(kind.capitalized() + " [" + name + "] is [" + value + "] but [" + other
                + "] is not set");
    }

    /** {@code Parameter [name] is set but [other] is not [value]}. */
    public SettingsException setButNot(String name, String other, String value) {
        return new SettingsException(kind.capitalized() + " [" + name + "] is set but [" + other + "] is not ["
                + value + "]");
    }

    /** {@code Parameter [name]: problem}, e.g. a file it names cannot be read; {@code problem} quotes no secret. */
    public SettingsException problem(String name, String problem, Throwable cause) {
        return new SettingsException(kind.capitalized() + " [" + name + "]: " + problem, cause);
    }

    /** What messages show of a value of {@code name}: hidden for a secret, redacted for a URL. */
    public String shown(String name, String value) {
        if (secrets.contains(name)) {
            return Redaction.HIDDEN;
        }
        return urls.contains(name) ? Redaction.url(value) : value;
    }

    private String illegalPrefix(String name) {
        return "Illegal value for " + kind.noun() + " [" + name + "]: ";
    }
}
