package dev.gatekey.credits;

import dev.gatekey.store.CreditPolicy;
import dev.gatekey.store.KeyStoreException;

/**
 * Spends credits of keys that have some. Thread-safe; one per filter.
 */
public interface CreditSpender extends AutoCloseable {

    /**
     * Spends {@code cost} credits of a key.
     *
     * @param keyId the key's public id
     * @param credits the key's credits as the filter cached them (its generation tells a stale lease or counter)
     * @param cost credits one request costs, {@code > 0}
     * @return spent, or refused with the next refill time
     * @throws KeyStoreException when the store had to be asked and could not answer
     */
    CreditCheck spend(String keyId, CreditPolicy credits, long cost);

    /** Gives back what was leased and not spent, where the store still takes it. */
    @Override
    void close();
}
