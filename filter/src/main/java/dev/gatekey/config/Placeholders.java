package dev.gatekey.config;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${env:NAME}} and {@code ${sys:name}} in configuration values: the filter's init-params and the
 * admin WAR's context params expand them the same way, so secrets can stay out of deployment descriptors.
 */
public final class Placeholders {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(env|sys):([^}]*)}");

    private Placeholders() {
    }

    /**
     * The value with every placeholder replaced: {@code env} from {@code environment} (usually
     * {@code System::getenv}), {@code sys} from the system properties. Text around placeholders is kept;
     * a value without placeholders is returned as it is, {@code null} included.
     *
     * @throws IllegalArgumentException {@code Undefined variable [${env:NAME}]} when one is not set
     */
    public static String expand(String value, UnaryOperator<String> environment) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String resolved = "env".equals(m.group(1)) ? environment.apply(name) : System.getProperty(name);
            if (resolved == null) {
                throw new IllegalArgumentException("Undefined variable [" + m.group() + "]");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }
}
