package dev.gatekey.admin.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A small HTTP client of the deployment: JSON in, {@link Response} out; remembers every key it saw. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every key text an answer carried: none may show up in the logs. */
    static final Set<String> SEEN_KEYS = ConcurrentHashMap.newKeySet();

    private final URI base;
    private final Map<String, String> headers;

    private Http(URI base, Map<String, String> headers) {
        this.base = base;
        this.headers = headers;
    }

    /** Anonymous client of {@code base} (the deployment's root URL). */
    static Http of(URL base) {
        String root = base.toString();
        return new Http(URI.create(root.endsWith("/") ? root : root + "/"), Map.of());
    }

    Http withKey(String key) {
        return with("Authorization", "Bearer " + key);
    }

    Http with(String header, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(header, value);
        return new Http(base, copy);
    }

    /** {@code path} relative to {@code api/v1}, e.g. {@code /buckets}. */
    Response api(String method, String path) {
        return api(method, path, (String) null);
    }

    Response api(String method, String path, String json) {
        return send(method, "api/v1" + path, json == null ? null : "application/json",
                json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
    }

    Response api(String method, String path, Object body) {
        try {
            return api(method, path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response send(String method, String path, String contentType, BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body);
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
            Response answer = new Response(response.statusCode(), response.headers().map(), response.body());
            answer.rememberKeys();
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, Map<String, java.util.List<String>> headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        void rememberKeys() {
            if (body == null || body.isEmpty() || !body.startsWith("{")) {
                return;
            }
            json().findValues("key").forEach(k -> {
                if (k.isTextual() && dev.gatekey.format.ApiKeyFormat.crc32().isValid(k.asText())) {
                    SEEN_KEYS.add(k.asText());
                }
            });
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
