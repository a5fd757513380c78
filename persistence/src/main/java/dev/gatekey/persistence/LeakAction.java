package dev.gatekey.persistence;

import java.util.Locale;

/** What to do with a leaked active key besides recording it ({@link LeakService#record}). */
public enum LeakAction {
    /** Record the leak and audit it; the key keeps working. */
    NOTIFY,
    /** Record, audit, and revoke the key (with its change row, so every node drops it). */
    REVOKE;

    /** {@code notify} or {@code revoke}, as configured and stored. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
