package dev.gatekey.config;

/**
 * A refused setting: its message names the setting and shows its value only when that is not a secret (see
 * {@link SettingsReader}).
 */
public final class SettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    SettingsException(String message) {
        super(message);
    }

    SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
