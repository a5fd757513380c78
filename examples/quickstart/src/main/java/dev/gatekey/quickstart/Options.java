package dev.gatekey.quickstart;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line, parsed once: {@code --port N} (0..65535, 0 = any free port; default {@value #DEFAULT_PORT}),
 * {@code --data DIR} (default {@value #DEFAULT_DATA_DIR}), {@code --set NAME=VALUE} (repeatable; see
 * {@link Settings}), {@code --quiet-admin-key}, {@code --help}. Both {@code --flag value} and {@code --flag=value}
 * are accepted.
 *
 * @param settings the {@code --set} names and values in command line order, unmodifiable
 * @param help true when {@code --help} was given: nothing else is looked at
 * @param quietAdminKey true when {@code --quiet-admin-key} was given: the first-start admin key is written to its
 *     file only, not printed (standard output often ends up in a log)
 */
public record Options(int port, Path dataDir, Map<String, String> settings, boolean help,
        boolean quietAdminKey) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = "./gatekey-data";
    public static final String USAGE =
            "Usage: java -jar gatekey-quickstart.jar [--port N] [--data DIR] [--set NAME=VALUE]... [--quiet-admin-key]"
                    + " [--help]";
    public static final String QUIET_ADMIN_KEY = "--quiet-admin-key";

    /** Without the quiet flag. */
    public Options(int port, Path dataDir, Map<String, String> settings, boolean help) {
        this(port, dataDir, settings, help, false);
    }

    /** A bad command line; the message is one line naming the flag. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses the arguments.
     *
     * @throws UsageException for an unknown flag, a missing or invalid value, or a flag given twice
     */
    public static Options parse(String... args) throws UsageException {
        Integer port = null;
        Path data = null;
        Map<String, String> settings = new LinkedHashMap<>();
        boolean quietAdminKey = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Options(DEFAULT_PORT, Path.of(DEFAULT_DATA_DIR), Map.of(), true);
            }
            if (arg.equals(QUIET_ADMIN_KEY)) {
                quietAdminKey = true;
                continue;
            }
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!flag.equals("--port") && !flag.equals("--data") && !flag.equals("--set")) {
                throw new UsageException("unknown option " + quote(flag));
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + flag + " needs a value");
                }
                value = args[++i];
            }
            if (flag.equals("--set")) {
                set(settings, value);
            } else if (flag.equals("--port")) {
                if (port != null) {
                    throw new UsageException("option --port given twice");
                }
                port = port(value);
            } else {
                if (data != null) {
                    throw new UsageException("option --data given twice");
                }
                data = dataDir(value);
            }
        }
        return new Options(port == null ? DEFAULT_PORT : port, data == null ? Path.of(DEFAULT_DATA_DIR) : data,
                Collections.unmodifiableMap(settings), false, quietAdminKey);
    }

    /** One {@code --set NAME=VALUE}: a known name, given once, with a value. */
    private static void set(Map<String, String> settings, String assignment) throws UsageException {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new UsageException("option --set needs NAME=VALUE, not " + quote(assignment));
        }
        String name = assignment.substring(0, eq).trim();
        String value = assignment.substring(eq + 1);
        Settings.check(name, value);
        if (settings.putIfAbsent(name, value) != null) {
            throw new UsageException("setting [" + name + "] given twice");
        }
    }

    private static int port(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the value
        }
        throw new UsageException("illegal port " + quote(value) + ": expected a number from 0 to 65535");
    }

    private static Path dataDir(String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException("option --data needs a directory");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("illegal data directory " + quote(value) + ": " + e.getReason());
        }
    }

    private static String quote(String value) {
        return "[" + value.replaceAll("\\p{Cntrl}", "?") + "]";
    }
}
