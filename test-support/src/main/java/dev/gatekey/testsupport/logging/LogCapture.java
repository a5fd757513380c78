package dev.gatekey.testsupport.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects the JUL records of some loggers while open (Gatekey, the embedded Tomcat and the WARs all log through
 * JUL). Three ways in: {@link #LogCapture(Class) one class's logger} with its level opened to everything,
 * {@link #atLeast named loggers} at their own levels, or {@link #install() the root logger} for the whole test JVM.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private static LogCapture root;

    /** The records, in the order they were published. */
    public final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Map<Logger, Level> attached;
    private final Level minimum;
    private final boolean openLevels;
    private final SimpleFormatter formatter = new SimpleFormatter();

    /** Records everything the logger of {@code type} logs (its level set to ALL until {@link #close()}). */
    public LogCapture(Class<?> type) {
        this(Level.ALL, true, type.getName());
    }

    private LogCapture(Level minimum, boolean openLevels, String... loggerNames) {
        this.minimum = minimum;
        this.openLevels = openLevels;
        setLevel(Level.ALL);
        Map<Logger, Level> loggers = new LinkedHashMap<>();
        for (String name : loggerNames) {
            Logger logger = Logger.getLogger(name);
            loggers.put(logger, logger.getLevel());
            if (openLevels) {
                logger.setLevel(Level.ALL);
            }
            logger.addHandler(this);
        }
        this.attached = loggers;
    }

    /**
     * Records what the named loggers (and their children; {@code ""} is the root) publish at {@code minimum} or
     * above, leaving their levels as they are.
     */
    public static LogCapture atLeast(Level minimum, String... loggerNames) {
        return new LogCapture(minimum, false, loggerNames);
    }

    /**
     * The capture of the whole test JVM, installed on the root logger once and never removed; FINE and up of
     * {@code dev.gatekey} are recorded too.
     */
    public static synchronized LogCapture install() {
        if (root == null) {
            root = atLeast(Level.ALL, "");
            Logger.getLogger("dev.gatekey").setLevel(Level.FINE);
        }
        return root;
    }

    /** The records at exactly {@code level}. */
    public List<LogRecord> at(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level)).toList();
    }

    /** The exceptions the records carried. */
    public List<Throwable> thrown() {
        return records.stream().map(LogRecord::getThrown).filter(Objects::nonNull).toList();
    }

    /**
     * Every record published, as {@code logger LEVEL message} followed by its stack trace if it has one, formatted
     * when it was published (clearing {@link #records} leaves these).
     */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= minimum.intValue()) {
            records.add(record);
            lines.add(line(record));
        }
    }

    private String line(LogRecord record) {
        StringBuilder text = new StringBuilder(formatter.formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        return record.getLoggerName() + " " + record.getLevel() + " " + text;
    }

    @Override
    public void flush() {
    }

    /** Detaches from the loggers (giving back levels it opened); the {@link #install() root capture} stays. */
    @Override
    public void close() {
        if (this == root) {
            return;
        }
        attached.forEach((logger, level) -> {
            logger.removeHandler(this);
            if (openLevels) {
                logger.setLevel(level);
            }
        });
    }
}
