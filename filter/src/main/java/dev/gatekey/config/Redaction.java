package dev.gatekey.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Secrets out of messages and log lines: what a secret setting shows, and URLs without their passwords. */
public final class Redaction {

    /** What a message shows in place of a secret setting's value. */
    public static final String HIDDEN = "(hidden)";

    /** {@code scheme://user-info@}, also behind a {@code jdbc:} prefix ({@code jdbc:mysql://u:p@host}). */
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.:-]*://)([^@/?#]*)@");
    /** A {@code password=} parameter of a URL's query: up to the next {@code &} or the fragment. */
    private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)(password=)[^&#]*");
    /** A {@code password=} property of a JDBC URL: up to the next {@code &} or {@code ;} (H2, SQL Server). */
    private static final Pattern JDBC_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private Redaction() {
    }

    /**
     * A URL fit for logs and messages ({@code redis://}, {@code jdbc:}, {@code http://}...): the password of its
     * user info (all of a user info without {@code :}, which Redis clients take as the password) and the value of
     * any {@code password=} parameter are {@code ***}. {@code null} stays {@code null}.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String masked = url;
        Matcher m = USER_INFO.matcher(url);
        if (m.find()) {
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            masked = m.group(1) + (colon < 0 ? "***" : userInfo.substring(0, colon) + ":***") + "@"
                    + url.substring(m.end());
        }
        Pattern password = url.regionMatches(true, 0, "jdbc:", 0, 5) ? JDBC_PASSWORD : QUERY_PASSWORD;
        return password.matcher(masked).replaceAll("$1***");
    }
}
