package dev.gatekey.admin.access;

/**
 * Who is calling the admin API and what they may do. {@code name} is the audit actor: a container user name
 * longer than the audit column keeps its start.
 */
public record Caller(String name, boolean mayWrite) {

    /** Length of the audit actor column. */
    public static final int MAX_NAME_LENGTH = 256;

    public Caller {
        if (name.length() > MAX_NAME_LENGTH) {
            name = name.substring(0, MAX_NAME_LENGTH - 1) + "…";
        }
    }
}
