package dev.gatekey.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekey.persistence.FieldError;
import dev.gatekey.persistence.ImportResult;
import dev.gatekey.persistence.ImportService;
import dev.gatekey.persistence.ImportedKey;
import dev.gatekey.persistence.KeyManagement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /buckets/{bucket}/import}: a JSON array of keys made elsewhere (their SHA-256 hashes) → one
 * {@link ImportService} call → 200 with one result per item, in the items' order. Items the JSON mapping refuses
 * (an unknown property, a date that is not one) are reported like the service's item errors and not sent to it.
 */
final class KeyImports {

    /** The route's body limit: 10,000 items with descriptions and metadata fit; the servlet's is often lower. */
    static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /** One item of the body. */
    record ImportItemBody(String consumer, String keyHash, String description, Instant createdOn, Instant expiresOn,
            Map<String, Object> metadata) {
    }

    /** One item's result; {@code keyId} without an error, {@code errors} with one. */
    record ImportItemView(int index, String status, @JsonInclude(JsonInclude.Include.NON_NULL) String keyId,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldError> errors) {
    }

    /** The answer: counts, then every item's result. */
    record ImportView(int created, int exists, int failed, List<ImportItemView> data) {
    }

    private KeyImports() {
    }

    static ApiResponse importKeys(KeyManagement keys, ApiRequest r) {
        List<ApiRequest.Element<ImportItemBody>> elements = r.bodyArray(ImportItemBody.class, ImportService.MAX_ITEMS,
                "an import must not have more than " + ImportService.MAX_ITEMS + " items");
        List<ImportedKey> items = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        ImportItemView[] views = new ImportItemView[elements.size()];
        for (int i = 0; i < elements.size(); i++) {
            ImportItemBody body = elements.get(i).value();
            if (body == null) {
                views[i] = new ImportItemView(i, "error", null, elements.get(i).errors());
            } else {
                positions.add(i);
                items.add(new ImportedKey(body.consumer(), body.keyHash(), body.description(), body.createdOn(),
                        body.expiresOn(), body.metadata()));
            }
        }
        for (ImportResult result : keys.imports().importKeys(r.actor(), r.path("bucket"), items)) {
            int index = positions.get(result.index());
            views[index] = new ImportItemView(index, result.status().name().toLowerCase(Locale.ROOT), result.keyId(),
                    result.errors());
        }
        int created = 0;
        int exists = 0;
        for (ImportItemView view : views) {
            created += view.status().equals("created") ? 1 : 0;
            exists += view.status().equals("exists") ? 1 : 0;
        }
        return ApiResponse.ok(new ImportView(created, exists, views.length - created - exists, List.of(views)));
    }
}
