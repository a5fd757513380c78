package dev.gatekey.persistence;

import java.util.List;
import java.util.Map;

/**
 * What text and JSON values may be stored: no NUL character (PostgreSQL refuses it in text, so it would surface
 * as a database failure) and no unpaired surrogate (not Unicode: it cannot be encoded as UTF-8 and would come
 * back changed); numbers finite (JSON has no Infinity or NaN: {@code 1e999999} parses as infinity and would be
 * stored as the string {@code "Infinity"}). Checked on every write, so H2 and PostgreSQL answer alike.
 */
final class TextChecks {

    static final String UNSTORABLE = "must not contain NUL characters or unpaired surrogates";
    static final String NOT_FINITE = "must be a finite number";

    private TextChecks() {
    }

    /** True for null and for text without NUL and unpaired surrogates. */
    static boolean isStorable(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code text} with each NUL and unpaired surrogate replaced by U+FFFD. */
    static String replaceUnstorable(String text) {
        if (isStorable(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\0' || Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Adds one error per bad member of a JSON value (maps, lists, strings, numbers, booleans, null), its field the
     * JSON path ({@code metadata.limits[2]}).
     */
    static void checkJson(String path, Object value, List<FieldError> errors) {
        if (value instanceof String text) {
            if (!isStorable(text)) {
                errors.add(new FieldError(path, UNSTORABLE));
            }
        } else if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                errors.add(new FieldError(path, NOT_FINITE));
            }
        } else if (value instanceof Float f) {
            if (!Float.isFinite(f)) {
                errors.add(new FieldError(path, NOT_FINITE));
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                String member = path + "." + replaceUnstorable(name);
                if (!isStorable(name)) {
                    errors.add(new FieldError(member, "names " + UNSTORABLE));
                }
                checkJson(member, entry.getValue(), errors);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkJson(path + "[" + i + "]", list.get(i), errors);
            }
        }
    }
}
