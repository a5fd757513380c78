package dev.gatekey.admin.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Every JUL record of the test JVM (the embedded Tomcat and the WAR log through JUL), formatted with stack traces. */
final class LogCapture extends Handler {

    private static final LogCapture INSTANCE = new LogCapture();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    /** Installs the handler on the root logger once; FINE and up of dev.gatekey are recorded too. */
    static synchronized LogCapture install() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            if (handler == INSTANCE) {
                return INSTANCE;
            }
        }
        root.addHandler(INSTANCE);
        Logger.getLogger("dev.gatekey").setLevel(Level.FINE);
        return INSTANCE;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder text = new StringBuilder(formatter.formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        lines.add(record.getLoggerName() + " " + record.getLevel() + " " + text);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
