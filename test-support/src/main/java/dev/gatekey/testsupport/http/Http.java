package dev.gatekey.testsupport.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tests' HTTP client of one deployment: requests relative to its root URL, default headers carried by
 * immutable copies ({@link #withKey}, {@link #with}), answers as {@link Response}. Every instance sends through
 * {@link HttpTransport}'s one client.
 */
public final class Http {

    /** The tests' JSON mapper. */
    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Map<String, String> headers;
    private final Consumer<Response> observer;

    private Http(URI base, Map<String, String> headers, Consumer<Response> observer) {
        this.base = base;
        this.headers = headers;
        this.observer = observer;
    }

    /** Anonymous client of {@code base} (the deployment's root URL). */
    public static Http of(URL base) {
        String root = base.toString();
        return new Http(URI.create(root.endsWith("/") ? root : root + "/"), Map.of(), response -> { });
    }

    /** This client sending {@code Authorization: Bearer key}. */
    public Http withKey(String key) {
        return with("Authorization", "Bearer " + key);
    }

    /** This client sending one more header. */
    public Http with(String header, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(header, value);
        return new Http(base, copy, observer);
    }

    /** This client, handing every answer to {@code observer} too (e.g. to collect the keys answers carried). */
    public Http observing(Consumer<Response> observer) {
        return new Http(base, headers, this.observer.andThen(observer));
    }

    /** An admin API call: {@code path} relative to {@code api/v1}, e.g. {@code /buckets}. */
    public Response api(String method, String path) {
        return api(method, path, (String) null);
    }

    /** An admin API call with a JSON body (or none when {@code json} is null). */
    public Response api(String method, String path, String json) {
        return send(method, "api/v1" + path, json == null ? null : "application/json",
                json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
    }

    /** An admin API call with {@code body} written as JSON. */
    public Response api(String method, String path, Object body) {
        try {
            return api(method, path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GET {@code path} (relative, may carry a query) with more headers given as name, value, name, value...; a name
     * given twice is sent twice.
     */
    public Response get(String path, String... nameValues) {
        return send("GET", path, null, BodyPublishers.noBody(), nameValues);
    }

    /** Any request: {@code path} relative to the root, {@code contentType} null for none. */
    public Response send(String method, String path, String contentType, BodyPublisher body) {
        return send(method, path, contentType, body, new String[0]);
    }

    private Response send(String method, String path, String contentType, BodyPublisher body, String[] nameValues) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body);
        headers.forEach(request::header);
        for (int i = 0; i < nameValues.length; i += 2) {
            request.header(nameValues[i], nameValues[i + 1]);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            var response = HttpTransport.client().send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
            Response answer = new Response(response.statusCode(), response.headers(), response.body());
            observer.accept(answer);
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The port of the deployment. */
    public int port() {
        return base.getPort();
    }

    /** The deployment's context path, ending with a slash. */
    public String contextPath() {
        return base.getPath();
    }

    /** One answer. */
    public record Response(int status, HttpHeaders headers, String body) {

        /** The body as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** The first value of header {@code name} (any case), or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The Content-Type header, or null. */
        public String contentType() {
            return header("Content-Type");
        }

        /** A text field of the JSON body; null for JSON null or absent. */
        public String field(String name) {
            JsonNode node = json().get(name);
            return node == null || node.isNull() ? null : node.asText();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
