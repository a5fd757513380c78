package dev.gatekey.problem;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a failure that may repeat on every request without flooding the log: the first failure of a kind (what
 * failed + the exception's class) is logged at WARNING with its stack trace; the rest are counted, each at FINE
 * without a trace, with one WARNING line when the count reaches 10, 100, 1000... A broken dependency or
 * setting thus costs a handful of lines, not one stack trace per request.
 *
 * <p>Thread-safe. The number of kinds is bounded by the code paths that log, not by requests.
 */
public final class FailureLog {

    private static final int MAX_KINDS = 1000;

    private final Logger logger;
    private final ConcurrentMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    public FailureLog(Logger logger) {
        this.logger = logger;
    }

    /**
     * Records one failure.
     *
     * @param what what failed, a constant phrase (it names the kind, so it must not carry request data)
     */
    public void failed(String what, Throwable e) {
        String kind = what + " (" + e.getClass().getName() + ")";
        AtomicLong count = counts.get(kind);
        if (count == null) {
            count = counts.size() < MAX_KINDS ? counts.computeIfAbsent(kind, k -> new AtomicLong()) : new AtomicLong();
        }
        long n = count.incrementAndGet();
        if (n == 1) {
            logger.log(Level.WARNING, what + "; later failures like it are counted, not traced", e);
        } else if (isPowerOfTen(n)) {
            logger.warning(what + ": " + n + " times so far (" + e.getClass().getName() + ": " + e.getMessage()
                    + "; stack trace logged the first time)");
        } else if (logger.isLoggable(Level.FINE)) {
            logger.fine(what + " again (" + e.getClass().getName() + ")");
        }
    }

    /** How often failures of this kind happened. */
    public long count(String what, Class<? extends Throwable> type) {
        AtomicLong count = counts.get(what + " (" + type.getName() + ")");
        return count == null ? 0 : count.get();
    }

    private static boolean isPowerOfTen(long n) {
        long p = 10;
        while (p < n && p <= Long.MAX_VALUE / 10) {
            p *= 10;
        }
        return p == n;
    }
}
