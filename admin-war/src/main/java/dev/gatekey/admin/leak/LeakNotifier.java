package dev.gatekey.admin.leak;

import dev.gatekey.admin.http.Json;
import dev.gatekey.persistence.Leak;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells a configured URL about each new leak: a JSON {@code POST} with the leak record (key id, bucket,
 * consumer, url, source, token type, action, time; never key material), sent asynchronously with a timeout.
 * Failures are logged with the key id and otherwise ignored: the scanner's answer never waits for it.
 */
public final class LeakNotifier implements AutoCloseable {

    /** The {@code event} property of every notification. */
    public static final String EVENT = "key.leaked";

    private static final Logger LOG = Logger.getLogger(LeakNotifier.class.getName());

    private final URI url;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient client;

    public LeakNotifier(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "gatekey-leak-webhook");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Sends the notification in the background; returns at once. */
    public void notify(Leak leak) {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(payload(leak));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null) {
                    LOG.log(Level.WARNING, "Leak webhook failed for key " + leak.keyId() + ": " + failure);
                } else if (response.statusCode() / 100 != 2) {
                    LOG.log(Level.WARNING, "Leak webhook answered " + response.statusCode() + " for key "
                            + leak.keyId());
                }
            });
        } catch (RuntimeException e) {
            // e.g. the executor is shut down while the WAR stops
            LOG.log(Level.WARNING, "Leak webhook not sent for key " + leak.keyId() + ": " + e);
        }
    }

    static Map<String, Object> payload(Leak leak) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("event", EVENT);
        json.put("keyId", leak.keyId());
        json.put("bucket", leak.bucket());
        json.put("consumer", leak.consumer());
        json.put("url", leak.url());
        json.put("source", leak.source());
        json.put("tokenType", leak.tokenType());
        json.put("action", leak.action());
        json.put("foundOn", leak.foundOn());
        return json;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
