package dev.gatekey.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gatekey.admin.AdminContextListener;
import dev.gatekey.admin.leak.GithubSecretScanningServlet;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.testsupport.http.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** What the leak tests share: signed reports as GitHub sends them, keys of bucket demo-live, counts over the API. */
final class LeakFixture {

    static final String TOKEN_TYPE = "gatekey_demo_live";
    /** The webhook path relative to the deployment root, derived from the listener's mapping. */
    static final String WEBHOOK_PATH = AdminContextListener.GITHUB_MAPPING.substring(1);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private LeakFixture() {
    }

    /** A new consumer of demo-live with one key; returns the key text. */
    static String newKey(KeyManagement keys) {
        return keys.consumers().create("test", TestDeployment.DEMO_BUCKET,
                NewConsumer.named("leaky" + SEQUENCE.incrementAndGet()), true).apiKeys().get(0).key();
    }

    /** Its key id, found through the admin API. */
    static String keyIdOf(KeyManagement keys, String key) {
        return keys.leaks().findKeysByHash(List.of(dev.gatekey.store.KeyHashes.sha256Hex(key))).values().iterator().next()
                .keyId();
    }

    /** GitHub's payload: one entry per token, each at its own url. */
    static byte[] payload(String... tokens) {
        ArrayNode array = Http.JSON.createArrayNode();
        for (String token : tokens) {
            array.addObject().put("token", token).put("type", TOKEN_TYPE)
                    .put("url", "https://github.com/acme/app/blob/main/.env#L" + SEQUENCE.incrementAndGet())
                    .put("source", "content");
        }
        try {
            return Http.JSON.writeValueAsBytes(array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Http.Response report(Http anonymous, GithubSigner github, byte[] body) {
        return anonymous.with(GithubSecretScanningServlet.KEY_ID_HEADER, github.keyId)
                .with(GithubSecretScanningServlet.SIGNATURE_HEADER, github.sign(body))
                .send("POST", WEBHOOK_PATH, "application/json", BodyPublishers.ofByteArray(body));
    }

    static List<String> labels(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> labels = new ArrayList<>();
        response.json().forEach(entry -> labels.add(entry.path("label").asText()));
        return labels;
    }

    /** Leak records of a key, over {@code GET /leaks}. */
    static List<JsonNode> leaksOf(Http admin, String keyId) {
        Http.Response page = admin.api("GET", "/leaks?limit=1000");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<JsonNode> leaks = new ArrayList<>();
        page.json().path("data").forEach(l -> {
            if (l.path("keyId").asText().equals(keyId)) {
                leaks.add(l);
            }
        });
        return leaks;
    }

    static long auditCount(Http admin, String action, String keyId) {
        Http.Response page = admin.api("GET", "/audit?limit=1000");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        long count = 0;
        for (JsonNode event : page.json().path("data")) {
            if (event.path("action").asText().equals(action) && event.path("targetId").asText().equals(keyId)) {
                count++;
            }
        }
        return count;
    }
}
