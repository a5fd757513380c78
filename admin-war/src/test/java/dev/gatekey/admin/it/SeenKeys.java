package dev.gatekey.admin.it;

import dev.gatekey.format.ApiKeyFormat;
import dev.gatekey.testsupport.http.Http;
import java.net.URL;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every key text the admin tests saw (an answer carried it, or a test added it): none may show up in the logs. */
final class SeenKeys {

    static final Set<String> ALL = ConcurrentHashMap.newKeySet();

    private SeenKeys() {
    }

    /** Anonymous client of {@code base} (the deployment's root URL) that remembers the keys its answers carry. */
    static Http client(URL base) {
        return Http.of(base).observing(SeenKeys::remember);
    }

    private static void remember(Http.Response answer) {
        String body = answer.body();
        if (body == null || body.isEmpty() || !body.startsWith("{")) {
            return;
        }
        answer.json().findValues("key").forEach(k -> {
            if (k.isTextual() && ApiKeyFormat.crc32().isValid(k.asText())) {
                ALL.add(k.asText());
            }
        });
    }
}
