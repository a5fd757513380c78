package dev.gatekey.persistence;

import java.util.List;

/**
 * What became of one item of an import.
 *
 * @param index the item's position in the import, from 0
 * @param status {@link Status#CREATED}, {@link Status#EXISTS} (imported before, unchanged) or {@link Status#ERROR}
 * @param keyId the key's public id; null for an error
 * @param errors what is wrong with the item; empty unless {@link Status#ERROR}
 */
public record ImportResult(int index, Status status, String keyId, List<FieldError> errors) {

    /** The outcome of one item. */
    public enum Status {
        /** The key was imported now. */
        CREATED,
        /** The same hash was imported before for the same consumer: nothing changed. */
        EXISTS,
        /** The item was refused; {@code errors} says why. Nothing of it was written. */
        ERROR
    }

    public ImportResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    static ImportResult created(int index, String keyId) {
        return new ImportResult(index, Status.CREATED, keyId, null);
    }

    static ImportResult exists(int index, String keyId) {
        return new ImportResult(index, Status.EXISTS, keyId, null);
    }

    static ImportResult error(int index, List<FieldError> errors) {
        return new ImportResult(index, Status.ERROR, null, errors);
    }
}
