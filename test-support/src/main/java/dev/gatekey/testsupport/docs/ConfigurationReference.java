package dev.gatekey.testsupport.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The settings reference, {@code docs/configuration.md}, as the "every param is documented" tests of the modules read
 * it: a setting is documented when a table row names it in backticks in its first cell.
 */
public final class ConfigurationReference {

    /** Relative to a module directory (Surefire's working directory). */
    public static final Path FILE = Path.of("..", "docs", "configuration.md");

    private ConfigurationReference() {
    }

    /** The reference's text. */
    public static String text() throws IOException {
        return Files.readString(FILE, StandardCharsets.UTF_8);
    }

    /** Matches a table row whose first cell names {@code setting} in backticks. */
    public static Pattern rowNaming(String setting) {
        return Pattern.compile("(?m)^\\| [^|]*`" + Pattern.quote(setting) + "`");
    }
}
