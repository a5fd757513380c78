package dev.gatekey.persistence;

/** What {@link KeyService#adjustCredits} does with its amount. */
public enum CreditOperation {
    /** The remaining credits become the amount (an unlimited key becomes limited). */
    SET,
    /** The amount is added to the remaining credits. */
    INCREMENT,
    /** The amount is taken from the remaining credits; never below 0 (refused instead). */
    DECREMENT
}
