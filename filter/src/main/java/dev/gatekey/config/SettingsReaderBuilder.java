package dev.gatekey.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What a {@link SettingsReader} reads: the names, which unknown names are refused, which values are secret
 * ({@link SettingsReader#builder}).
 */
public final class SettingsReaderBuilder {

    private final SettingsReader.Kind kind;
    private final Set<String> names = new HashSet<>();
    private final Set<String> secrets = new HashSet<>();
    private final Set<String> urls = new HashSet<>();
    private Predicate<String> refused = name -> false;

    SettingsReaderBuilder(SettingsReader.Kind kind) {
        this.kind = kind;
    }

    /** The names read; other names are ignored unless {@link #refuseUnknown} covers them. */
    public SettingsReaderBuilder names(Set<String> known) {
        names.addAll(known);
        return this;
    }

    /**
     * Unknown names for which {@code scope} holds fail {@link #read}: {@code Unknown parameter [name]: [value]}
     * ({@code Unknown context parameter [name]}).
     */
    public SettingsReaderBuilder refuseUnknown(Predicate<String> scope) {
        refused = scope;
        return this;
    }

    /** Settings whose value no message shows: {@value Redaction#HIDDEN} stands in its place. */
    public SettingsReaderBuilder secrets(Set<String> secretNames) {
        secrets.addAll(secretNames);
        return this;
    }

    /** URL settings that may carry a password: messages show them {@linkplain Redaction#url redacted}. */
    public SettingsReaderBuilder urls(Set<String> urlNames) {
        urls.addAll(urlNames);
        return this;
    }

    /**
     * Reads the known names of {@code raw} and expands their placeholders.
     *
     * @param environment lookup of {@code ${env:NAME}}, usually {@code System::getenv}
     * @throws SettingsException for a refused unknown name, or a variable that is not set:
     *     {@code Undefined variable [${env:X}] in parameter [name]}
     */
    public SettingsReader read(Map<String, String> raw, UnaryOperator<String> environment) {
        SettingsReader reader = new SettingsReader(kind, Map.of(), secrets, urls);
        Map<String, String> expanded = new HashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String name = e.getKey();
            if (!names.contains(name)) {
                if (refused.test(name)) {
                    throw new SettingsException("Unknown " + kind.noun() + " [" + name + "]"
                            + (kind == SettingsReader.Kind.INIT_PARAMS ? ": [" + reader.shown(name, e.getValue()) + "]" : ""));
                }
                continue;
            }
            if (e.getValue() == null) {
                continue;
            }
            try {
                expanded.put(name, Placeholders.expand(e.getValue(), environment));
            } catch (IllegalArgumentException undefined) {
                throw new SettingsException(undefined.getMessage() + " in " + kind.noun() + " [" + name + "]");
            }
        }
        return new SettingsReader(kind, expanded, secrets, urls);
    }
}
