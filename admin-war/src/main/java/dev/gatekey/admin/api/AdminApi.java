package dev.gatekey.admin.api;

import dev.gatekey.admin.api.KeyPolicyBodies.CreditsOperationBody;
import dev.gatekey.admin.api.KeyPolicyBodies.KeyBody;
import dev.gatekey.admin.api.Views.ConsumerView;
import dev.gatekey.admin.api.Views.KeyView;
import dev.gatekey.admin.api.Views.Listing;
import dev.gatekey.admin.api.Views.PageView;
import dev.gatekey.persistence.ApiKey;
import dev.gatekey.persistence.Bucket;
import dev.gatekey.persistence.Consumer;
import dev.gatekey.persistence.ConsumerChanges;
import dev.gatekey.persistence.ConsumerGuard;
import dev.gatekey.persistence.ConsumerQuery;
import dev.gatekey.persistence.ConsumerService;
import dev.gatekey.persistence.KeyChanges;
import dev.gatekey.persistence.KeyManagement;
import dev.gatekey.persistence.KeyFormat;
import dev.gatekey.persistence.KeyService;
import dev.gatekey.persistence.NewConsumer;
import dev.gatekey.persistence.Page;
import dev.gatekey.persistence.UsageRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The admin REST API's routes (relative to {@code {context}/api/v1}) and their handlers: each one
 * translates HTTP input into one {@link KeyManagement} call and its result into the documented JSON.
 */
public final class AdminApi {

    /** Classpath resource (next to this class) of the OpenAPI document served at {@code GET /openapi.yaml}. */
    public static final String OPENAPI_RESOURCE = "openapi.yaml";

    static final String GET = "GET";
    static final String POST = "POST";
    static final String PATCH = "PATCH";
    static final String DELETE = "DELETE";

    private static final String BUCKET = "/buckets/{bucket}";
    private static final String CONSUMERS = BUCKET + "/consumers";
    private static final String CONSUMER = CONSUMERS + "/{consumer}";
    private static final String KEYS = CONSUMER + "/keys";
    private static final String KEY = KEYS + "/{keyId}";

    record NewBucketBody(String name, String description, String keyPrefix, Boolean retrievable) {
    }

    record BucketChangesBody(String description) {
    }

    record NewConsumerBody(String name, String description, Map<String, Object> metadata, Map<String, String> tags,
            List<String> managers) {
    }

    record ConsumerChangesBody(String description, Map<String, Object> metadata, Map<String, String> tags,
            List<String> managers) {
    }

    record RollKeyBody(String description, Instant expiresOn) {
    }

    /** The secret-scanning pattern of one bucket's keys. */
    record BucketPattern(String bucket, String keyPrefix, String regex) {
    }

    /** {@code regex} matches the keys of every bucket; null when there is no bucket. */
    record Patterns(String checksum, String regex, List<BucketPattern> data) {
    }

    private final KeyManagement keys;
    private final byte[] openApi;
    private final Router router = new Router();

    /** Portal links point at the admin URL each request came to, plus {@code /portal/}. */
    public AdminApi(KeyManagement keyManagement) {
        this(keyManagement, null);
    }

    /** @param portalUrl the portal's public URL (ending in {@code /}), or null to derive it from each request */
    public AdminApi(KeyManagement keyManagement, String portalUrl) {
        this.keys = Objects.requireNonNull(keyManagement, "keyManagement");
        PortalSessions portalSessions = new PortalSessions(keyManagement, portalUrl);
        this.openApi = loadOpenApi();
        router.add(GET, "/buckets", false, this::listBuckets)
                .add(POST, "/buckets", true, this::createBucket)
                .add(GET, BUCKET, false, r -> ApiResponse.ok(keys.buckets().get(r.path("bucket"))))
                .add(PATCH, BUCKET, true, this::updateBucket)
                .add(DELETE, BUCKET, true, this::deleteBucket)
                .add(GET, CONSUMERS, false, this::listConsumers)
                .add(POST, CONSUMERS, true, this::createConsumer)
                .add(GET, CONSUMER, false, this::getConsumer)
                .add(PATCH, CONSUMER, true, this::updateConsumer)
                .add(DELETE, CONSUMER, true, this::deleteConsumer)
                .add(POST, CONSUMER + "/roll-key", true, this::rollKey)
                .add(GET, KEYS, false, this::listKeys)
                .add(POST, KEYS, true, this::createKey)
                .add(GET, KEY, false, this::getKey)
                .add(PATCH, KEY, true, this::updateKey)
                .add(DELETE, KEY, true, this::revokeKey)
                .add(POST, KEY + "/credits", true, this::adjustCredits)
                .add(GET, CONSUMER + "/usage", false, this::consumerUsage)
                .add(GET, BUCKET + "/usage", false, this::bucketUsage)
                .add(GET, BUCKET + "/usage/top", false, this::topConsumers)
                .add(POST, BUCKET + "/import", true, KeyImports.MAX_BODY_BYTES, r -> KeyImports.importKeys(keys, r))
                .add(POST, "/cache/flush", true, this::flushCaches)
                .add(GET, "/audit", false, this::audit)
                .add(GET, "/leaks", false, this::leaks)
                .add(GET, "/secret-scanning/patterns", false, this::patterns)
                .add(POST, BUCKET + "/portal-sessions", true, portalSessions::open)
                .add(GET, "/openapi.yaml", false,
                        r -> ApiResponse.ok(new ApiResponse.Raw("application/yaml; charset=UTF-8", openApi)));
        WebhookRoutes.register(router, keys.webhooks());
    }

    public Router router() {
        return router;
    }

    // ---------------------------------------------------------------- buckets

    private ApiResponse listBuckets(ApiRequest r) {
        return ApiResponse.ok(new Listing<>(keys.buckets().list()));
    }

    private ApiResponse createBucket(ApiRequest r) {
        NewBucketBody body = r.body(NewBucketBody.class, true);
        var bucket = keys.buckets().create(r.actor(), body.name(), body.description(), body.keyPrefix(),
                body.retrievable());
        return ApiResponse.created(bucket, r.location("buckets", bucket.name()));
    }

    private ApiResponse updateBucket(ApiRequest r) {
        BucketChangesBody body = r.body(BucketChangesBody.class, true);
        String bucket = r.path("bucket");
        // an absent description keeps the current one; an explicit null clears it
        return ApiResponse.ok(r.bodyHas("description")
                ? keys.buckets().update(r.actor(), bucket, body.description())
                : keys.buckets().get(bucket));
    }

    private ApiResponse deleteBucket(ApiRequest r) {
        keys.buckets().delete(r.actor(), r.path("bucket"));
        return ApiResponse.noContent();
    }

    // ---------------------------------------------------------------- consumers

    private ApiResponse listConsumers(ApiRequest r) {
        ConsumerQuery query = new ConsumerQuery(r.intQuery("limit"), r.query("cursor"), null,
                r.boolQuery("include-api-keys"), r.keyFormat(), r.query("name-prefix"));
        // ?manager=ID narrows the list like a guard: only the consumers whose managers contain ID
        ConsumerGuard guard = new ConsumerGuard(r.guard().tags(), r.managerQuery());
        Page<Consumer> page = keys.consumers().guarded(guard).list(r.actor(), r.path("bucket"), query);
        return ApiResponse.ok(new PageView<>(page.data().stream().map(ConsumerView::of).toList(), page.nextCursor()));
    }

    private ApiResponse createConsumer(ApiRequest r) {
        boolean withApiKey = r.boolQuery("with-api-key");
        NewConsumerBody body = r.body(NewConsumerBody.class, true);
        String bucket = r.path("bucket");
        Consumer created = consumers(r).create(r.actor(), bucket,
                new NewConsumer(body.name(), body.description(), body.metadata(), body.tags(), body.managers()),
                withApiKey);
        return ApiResponse.created(ConsumerView.of(created), r.location("buckets", bucket, "consumers", created.name()));
    }

    private ApiResponse getConsumer(ApiRequest r) {
        return ApiResponse.ok(ConsumerView.of(consumers(r).get(r.actor(), r.path("bucket"), r.path("consumer"),
                r.boolQuery("include-api-keys"), r.keyFormat())));
    }

    private ApiResponse updateConsumer(ApiRequest r) {
        ConsumerChangesBody body = r.body(ConsumerChangesBody.class, true);
        return ApiResponse.ok(ConsumerView.of(consumers(r).update(r.actor(), r.path("bucket"), r.path("consumer"),
                new ConsumerChanges(body.description(), body.metadata(), body.tags(), body.managers()))));
    }

    private ApiResponse deleteConsumer(ApiRequest r) {
        consumers(r).delete(r.actor(), r.path("bucket"), r.path("consumer"));
        return ApiResponse.noContent();
    }

    private ApiResponse rollKey(ApiRequest r) {
        RollKeyBody body = r.body(RollKeyBody.class, false);
        return keyCreated(r, keys(r).roll(r.actor(), r.path("bucket"), r.path("consumer"), body.description(),
                body.expiresOn()));
    }

    /** 201 with the new key, shown once, and its location. */
    private static ApiResponse keyCreated(ApiRequest r, ApiKey created) {
        return ApiResponse.created(KeyView.of(created),
                r.location("buckets", r.path("bucket"), "consumers", r.path("consumer"), "keys", created.id()));
    }

    // ---------------------------------------------------------------- keys

    private ApiResponse listKeys(ApiRequest r) {
        return ApiResponse.ok(new Listing<>(keys(r).list(r.actor(), r.path("bucket"), r.path("consumer"), r.keyFormat())
                .stream().map(KeyView::of).toList()));
    }

    private ApiResponse createKey(ApiRequest r) {
        KeyBody body = r.body(KeyBody.class, false);
        return keyCreated(r, keys(r).create(r.actor(), r.path("bucket"), r.path("consumer"),
                KeyPolicyBodies.newKey(body)));
    }

    private ApiResponse getKey(ApiRequest r) {
        return ApiResponse.ok(KeyView.of(keys(r).get(r.actor(), r.path("bucket"), r.path("consumer"), r.path("keyId"),
                r.keyFormat())));
    }

    private ApiResponse updateKey(ApiRequest r) {
        KeyBody body = r.body(KeyBody.class, true);
        KeyChanges changes = KeyPolicyBodies.changes(r, body);
        return ApiResponse.ok(KeyView.of(keys(r).update(r.actor(), r.path("bucket"), r.path("consumer"),
                r.path("keyId"), changes)));
    }

    private ApiResponse adjustCredits(ApiRequest r) {
        CreditsOperationBody body = r.body(CreditsOperationBody.class, true);
        return ApiResponse.ok(KeyView.of(keys(r).adjustCredits(r.actor(), r.path("bucket"), r.path("consumer"),
                r.path("keyId"), KeyPolicyBodies.operation(body.op()), KeyPolicyBodies.amount(body.amount()))));
    }

    private ApiResponse revokeKey(ApiRequest r) {
        keys(r).revoke(r.actor(), r.path("bucket"), r.path("consumer"), r.path("keyId"));
        return ApiResponse.noContent();
    }

    /** The consumer service under the call's tag guard ({@link ApiRequest#guard()}). */
    private ConsumerService consumers(ApiRequest r) {
        return keys.consumers().guarded(r.guard());
    }

    /** The key service under the call's tag guard ({@link ApiRequest#guard()}). */
    private KeyService keys(ApiRequest r) {
        return keys.keys().guarded(r.guard());
    }

    // ---------------------------------------------------------------- cache and audit

    private ApiResponse flushCaches(ApiRequest r) {
        r.body(EmptyBody.class, false);
        keys.keys().flushCaches(r.actor());
        return ApiResponse.accepted();
    }

    private ApiResponse audit(ApiRequest r) {
        var page = keys.audit().list(r.intQuery("limit"), r.query("cursor"));
        return ApiResponse.ok(new PageView<>(page.data(), page.nextCursor()));
    }

    // ---------------------------------------------------------------- usage

    private ApiResponse consumerUsage(ApiRequest r) {
        UsageRange range = keys.usage().range(r.query("from"), r.query("to"), r.query("granularity"));
        consumers(r).get(r.path("bucket"), r.path("consumer"), false, KeyFormat.NONE); // 404 outside the tag guard
        return ApiResponse.ok(new Listing<>(keys.usage().consumer(r.path("bucket"), r.path("consumer"), range)));
    }

    private ApiResponse bucketUsage(ApiRequest r) {
        UsageRange range = keys.usage().range(r.query("from"), r.query("to"), r.query("granularity"));
        return ApiResponse.ok(new Listing<>(keys.usage().bucket(r.path("bucket"), range)));
    }

    private ApiResponse topConsumers(ApiRequest r) {
        UsageRange range = keys.usage().topRange(r.query("from"), r.query("to"));
        return ApiResponse.ok(new Listing<>(keys.usage().top(r.path("bucket"), range, r.intQuery("limit"))));
    }

    // ---------------------------------------------------------------- leak detection

    private ApiResponse leaks(ApiRequest r) {
        var page = keys.leaks().list(r.intQuery("limit"), r.query("cursor"));
        return ApiResponse.ok(new PageView<>(page.data(), page.nextCursor()));
    }

    private ApiResponse patterns(ApiRequest r) {
        List<Bucket> buckets = keys.buckets().list();
        var mode = keys.checksumMode();
        return ApiResponse.ok(new Patterns(mode.name().toLowerCase(Locale.ROOT),
                SecretScanningPatterns.regex(buckets.stream().map(Bucket::keyPrefix).toList(), mode),
                buckets.stream().map(b -> new BucketPattern(b.name(), b.keyPrefix(),
                        SecretScanningPatterns.regex(b.keyPrefix(), mode))).toList()));
    }

    /** {@code POST /cache/flush} takes no properties; an empty body or {@code {}} is fine. */
    record EmptyBody() {
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = AdminApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI document " + OPENAPI_RESOURCE + " is missing from the WAR");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
