package dev.gatekey.admin.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local lifecycle-webhook receiver on 127.0.0.1 (the JDK's HttpServer): keeps every request with its Standard
 * Webhooks headers, answers 204 (503 on {@link #failingUrl()}), and verifies signatures with its own HMAC code (none of Gatekey's).
 */
final class SignedWebhookReceiver implements AutoCloseable {

    record Received(String id, String timestamp, String signature, String body) {

        /** Standard Webhooks: base64 HMAC-SHA256 over {@code id.timestamp.body}, keyed with the decoded secret. */
        boolean signedWith(String secret) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                        "HmacSHA256"));
                String expected = "v1," + Base64.getEncoder().encodeToString(
                        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
                return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    SignedWebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/events", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                var h = exchange.getRequestHeaders();
                received.add(new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"),
                        h.getFirst("webhook-signature"), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/failing", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    /** An endpoint of the same server that always answers 503. */
    String failingUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/failing";
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /**
     * The first request whose body contains {@code text} and that is signed with {@code secret}: another endpoint
     * subscribed to the same events (one made by another test) delivers the same event here, signed with its own.
     */
    Received await(String text, String secret, Duration timeout) {
        awaitCondition(timeout, text + " signed with the endpoint's secret", () -> received.stream()
                .anyMatch(r -> r.body().contains(text) && r.signedWith(secret)));
        return received.stream().filter(r -> r.body().contains(text) && r.signedWith(secret)).findFirst()
                .orElseThrow();
    }

    static void awaitCondition(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(5); // polling a background thread's progress, not a timing assumption
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
