package dev.gatekey.filter;

import dev.gatekey.problem.Outcome;
import dev.gatekey.store.StoredKey;

/** What validation concluded: {@link Outcome#VALID} with the key, or a refusal. */
record Verdict(Outcome outcome, StoredKey key) {

    static final Verdict MALFORMED = new Verdict(Outcome.MALFORMED, null);
    static final Verdict BAD_CHECKSUM = new Verdict(Outcome.BAD_CHECKSUM, null);
    static final Verdict UNKNOWN = new Verdict(Outcome.UNKNOWN, null);
    static final Verdict STORE_ERROR = new Verdict(Outcome.STORE_ERROR, null);

    boolean isValid() {
        return outcome == Outcome.VALID;
    }
}
