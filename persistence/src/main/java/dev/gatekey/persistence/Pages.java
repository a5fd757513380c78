package dev.gatekey.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Keyset pagination: page sizes ({@value KeyManagement#DEFAULT_PAGE_SIZE} by default, at most
 * {@value KeyManagement#MAX_PAGE_SIZE}) and opaque cursors holding the last internal id of the previous page.
 */
final class Pages {

    private static final String CURSOR_PREFIX = "v1:";

    private Pages() {
    }

    /** The page size asked for, or the default; {@link InvalidInputException} (field {@code limit}) outside 1..max. */
    static int checkLimit(Integer limit) {
        if (limit == null) {
            return KeyManagement.DEFAULT_PAGE_SIZE;
        }
        if (limit < 1 || limit > KeyManagement.MAX_PAGE_SIZE) {
            throw new InvalidInputException("limit", "limit must be between 1 and " + KeyManagement.MAX_PAGE_SIZE);
        }
        return limit;
    }

    static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** 0 for no cursor (ids start at 1); {@link InvalidInputException} (field {@code cursor}) for a foreign one. */
    static long decodeCursor(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                long id = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the typed error: a cursor is opaque, its parse failure is not news
        }
        throw new InvalidInputException("cursor", "cursor is invalid");
    }

    /**
     * One page of an append-only entity, newest first: keyset pagination on its id, the cursor being the last
     * id of the previous page.
     */
    static <E, T> Page<T> newestFirst(Transactions transactions, String entity, Class<E> type, Integer limit,
            String cursor, ToLongFunction<E> id, Function<E, T> view) {
        int pageSize = checkLimit(limit);
        long before = cursor == null ? Long.MAX_VALUE : decodeCursor(cursor);
        return transactions.read(em -> {
            List<E> rows = em.createQuery("select e from " + entity + " e where e.id < :before order by e.id desc",
                            type)
                    .setParameter("before", before)
                    .setMaxResults(pageSize + 1)
                    .getResultList();
            boolean more = rows.size() > pageSize;
            List<E> page = rows.subList(0, Math.min(pageSize, rows.size()));
            return new Page<>(page.stream().map(view).toList(),
                    more ? encodeCursor(id.applyAsLong(page.get(page.size() - 1))) : null);
        });
    }
}
