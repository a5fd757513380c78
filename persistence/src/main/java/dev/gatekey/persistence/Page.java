package dev.gatekey.persistence;

import java.util.List;

/**
 * One page of a keyset-paginated list.
 *
 * @param nextCursor opaque cursor for the next page, {@code null} on the last page
 */
public record Page<T>(List<T> data, String nextCursor) {

    public Page {
        data = List.copyOf(data);
    }
}
