package dev.gatekey.quickstart;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes java.util.logging (Tomcat's JULI, Gatekey, Hibernate through jboss-logging) to standard output, one
 * line per record at INFO. Hibernate's start-up chatter is kept at WARNING; SLF4J (HikariCP, Flyway) is
 * silenced.
 */
final class StandardOutputLogging {

    /** Loggers are held strongly here: JUL keeps only weak references, and would forget their levels. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();
    /**
     * Hibernate runs in this class loader (to create the demo bucket) and in each WAR; a WAR's Hibernate then sees
     * this jar's service files too, and warns, with a stack trace, that their classes are not its own. Harmless:
     * it uses its own.
     */
    private static final String HIBERNATE_SERVICE_LOADER =
            "org.hibernate.boot.registry.classloading.internal.AggregatedServiceLoader";

    /** Logs rejected requests with the offending header or request line quoted. */
    static final String TOMCAT_HTTP_PARSER = "org.apache.coyote.http11";

    private static boolean configured;

    private StandardOutputLogging() {
    }

    static synchronized void configure() {
        if (configured) {
            return;
        }
        // HikariCP and Flyway log through SLF4J, here and inside each WAR (which bundles slf4j-api without a
        // provider); a provider in this jar would be found by the WARs' service loaders too, and refused as
        // another class loader's. slf4j-api's own no-op provider is the same class in every loader.
        System.setProperty("slf4j.provider", System.getProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider"));
        System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        // JUL closes its handlers in a shutdown hook of its own: that must not close System.out
        OutputStream out = new FilterOutputStream(System.out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
        Handler handler = new StreamHandler(out, new OneLine()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        level("org.hibernate", Level.WARNING);
        level("org.flywaydb", Level.WARNING);
        level(HIBERNATE_SERVICE_LOADER, Level.SEVERE);
        // Tomcat logs a malformed request's header line at INFO, and a header line may hold a key
        level(TOMCAT_HTTP_PARSER, Level.WARNING);
        configured = true;
    }

    private static void level(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED.add(logger);
    }

    /** {@code 2026-01-31 12:00:00.000 INFO  [main] org.example.Class: message}. */
    static final class OneLine extends Formatter {

        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(160)
                    .append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ')
                    .append(String.format("%-7s", record.getLevel().getName())).append(' ')
                    .append(shortName(record.getLoggerName())).append(": ")
                    .append(formatMessage(record)).append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }

        private static String shortName(String logger) {
            if (logger == null) {
                return "";
            }
            int dot = logger.lastIndexOf('.');
            return dot < 0 ? logger : logger.substring(dot + 1);
        }
    }
}
