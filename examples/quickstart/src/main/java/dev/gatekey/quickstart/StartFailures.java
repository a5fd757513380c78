package dev.gatekey.quickstart;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Why a web application did not start. Tomcat logs the exception of a failing listener or filter (a refused
 * setting, an unreachable database) and marks the context failed, without handing the exception to anyone: this
 * handler, on the contexts' loggers while Tomcat starts, keeps the first such message per context, so the
 * quickstart can end with that reason in one line.
 */
final class StartFailures extends Handler implements AutoCloseable {

    /** Parent of every context's logger ({@code ...ContainerBase.[Tomcat].[localhost].[/admin]}). */
    private static final String CONTEXTS = "org.apache.catalina.core.ContainerBase";

    private final Logger contexts = Logger.getLogger(CONTEXTS);
    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    private StartFailures() {
        setLevel(Level.SEVERE);
    }

    /** Starts watching; {@link #close} stops. */
    static StartFailures watch() {
        StartFailures failures = new StartFailures();
        failures.contexts.addHandler(failures);
        return failures;
    }

    @Override
    public void publish(LogRecord record) {
        String logger = record.getLoggerName();
        if (record.getThrown() == null || logger == null || record.getLevel().intValue() < Level.SEVERE.intValue()) {
            return;
        }
        int path = logger.lastIndexOf(".[");
        if (path >= 0 && logger.endsWith("]")) {
            reasons.putIfAbsent(logger.substring(path + 2, logger.length() - 1), Quickstart.oneLine(record.getThrown()));
        }
    }

    /** The first failure logged for the context at {@code contextPath} ("" for the root), or null. */
    String reason(String contextPath) {
        return reasons.get(contextPath.isEmpty() ? "/" : contextPath);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        contexts.removeHandler(this);
    }
}
