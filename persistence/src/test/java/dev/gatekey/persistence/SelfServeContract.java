package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatekey.store.KeyHashes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SelfServeService#provision}: a consumer and its first key at a user's first sign-in, once. */
abstract class SelfServeContract extends DatabaseTestBase {

    private static final int SIGN_INS = 12;

    private Provisioned provision(Bucket bucket, String user) {
        return km.selfServe().provision("app:signin", bucket.name(), user, null,
                NewKey.plain().withDescription("first key"));
    }

    @Test
    void provisionWhenFirstSignInThenConsumerManagedByTheUserAndItsKeyInFull() {
        Bucket bucket = newBucket(false);
        Provisioned p = provision(bucket, "alice@example.com");
        assertThat(p.created()).isTrue();
        assertThat(p.consumer().name()).isEqualTo("alice@example.com");
        assertThat(p.consumer().managers()).containsExactly("alice@example.com");
        assertThat(p.consumer().apiKeys()).isNull();
        assertThat(p.key().description()).isEqualTo("first key");
        assertThat(format.isValid(p.key().key())).isTrue();
        assertThat(store().findByHash(KeyHashes.sha256Hex(p.key().key()))).get()
                .satisfies(k -> assertThat(k.consumer()).isEqualTo("alice@example.com"));
    }

    @Test
    void provisionWhenSignedInBeforeThenTheSameConsumerAndNoKey() {
        Bucket bucket = newBucket(false);
        Provisioned first = provision(bucket, "bob");
        Provisioned again = provision(bucket, "bob");
        assertThat(again.created()).isFalse();
        assertThat(again.key()).isNull();
        assertThat(again.consumer().id()).isEqualTo(first.consumer().id());
        assertThat(km.keys().list(bucket.name(), "bob", KeyFormat.NONE)).hasSize(1);
    }

    @Test
    void provisionWhenTemplateGivenThenItsFieldsNameAndKeyPolicyUsed() {
        Bucket bucket = newBucket(false);
        Provisioned p = km.selfServe().provision("app:signin", bucket.name(), "carol",
                new NewConsumer("tenant-7-carol", "Carol's apps", Map.of("plan", "free"), Map.of("org", "tenant-7"),
                        List.of("support@example.com")),
                NewKey.plain().withScopes(List.of("orders:read")));
        assertThat(p.consumer().name()).isEqualTo("tenant-7-carol");
        assertThat(p.consumer().managers()).containsExactly("carol", "support@example.com");
        assertThat(p.consumer().tags()).isEqualTo(Map.of("org", "tenant-7"));
        assertThat(p.consumer().metadata()).isEqualTo(Map.of("plan", "free"));
        assertThat(p.key().scopes()).containsExactly("orders:read");
    }

    @Test
    void provisionWhenUserIdIsNotAValidNameThenDerivedStableName() {
        Bucket bucket = newBucket(false);
        String user = "CN=Dana Smith, O=Example";
        Provisioned p = provision(bucket, user);
        assertThat(p.consumer().name()).isEqualTo(SelfServeService.consumerNameFor(user))
                .matches("user-[0-9a-f]{32}");
        assertThat(provision(bucket, user).consumer().id()).isEqualTo(p.consumer().id());
        assertThat(SelfServeService.consumerNameFor("CN=Dana Smith, O=Other")).isNotEqualTo(p.consumer().name());
    }

    @Test
    void provisionWhenConsumerOfThatNameNotManagedByTheUserThenConflictAndUnchanged() {
        Bucket bucket = newBucket(false);
        km.consumers().create(ACTOR, bucket.name(), NewConsumer.named("eve"), false);
        assertThatThrownBy(() -> provision(bucket, "eve"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("consumer eve of bucket " + bucket.name() + " exists and is not managed by eve");
        assertThat(km.consumers().get(bucket.name(), "eve", false, KeyFormat.NONE).managers()).isEmpty();
        assertThat(km.keys().list(bucket.name(), "eve", KeyFormat.NONE)).isEmpty();
    }

    @Test
    void provisionWhenUserEmptyOrTooLongThenFieldError() {
        Bucket bucket = newBucket(false);
        assertThat(errorOf(() -> provision(bucket, ""))).isEqualTo(
                new FieldError("user", "user must be 1 to 254 characters"));
        assertThat(errorOf(() -> provision(bucket, "u".repeat(255)))).isEqualTo(
                new FieldError("user", "user must be 1 to 254 characters"));
        assertThat(errorOf(() -> provision(bucket, null)).field()).isEqualTo("user");
    }

    @Test
    void provisionWhenBucketMissingThenNotFound() {
        assertThatThrownBy(() -> km.selfServe().provision("app:signin", "no-such-bucket", "frank", null, null))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("bucket no-such-bucket not found");
    }

    @Test
    void provisionWhenCreatedThenAuditedUnderTheActor() {
        Bucket bucket = newBucket(false);
        Provisioned p = provision(bucket, "grace");
        List<AuditEvent> events = km.audit().list(10, null).data();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("app:signin");
            assertThat(e.action()).isEqualTo("consumer.create");
            assertThat(e.targetId()).isEqualTo(p.consumer().name());
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("app:signin");
            assertThat(e.targetId()).isEqualTo(p.key().id());
        });
    }

    @Test
    void provisionWhenManySignInsOfOneUserAtOnceThenOneConsumerAndOneKey() throws Exception {
        Bucket bucket = newBucket(false);
        ExecutorService pool = Executors.newFixedThreadPool(SIGN_INS);
        List<Provisioned> results = new ArrayList<>();
        try {
            CountDownLatch ready = new CountDownLatch(SIGN_INS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Provisioned>> futures = new ArrayList<>();
            for (int i = 0; i < SIGN_INS; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return provision(bucket, "racer@example.com");
                }));
            }
            ready.await();
            start.countDown();
            for (Future<Provisioned> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(results).filteredOn(Provisioned::created).hasSize(1)
                .allSatisfy(p -> assertThat(p.key()).isNotNull());
        assertThat(results).filteredOn(p -> !p.created()).hasSize(SIGN_INS - 1)
                .allSatisfy(p -> assertThat(p.key()).isNull());
        assertThat(results).extracting(p -> p.consumer().id()).containsOnly(results.get(0).consumer().id());
        assertThat(km.keys().list(bucket.name(), "racer@example.com", KeyFormat.NONE)).hasSize(1);
        assertThat(db.strings("SELECT COUNT(*) FROM gk_consumer WHERE name = 'racer@example.com' AND bucket_id ="
                + " (SELECT id FROM gk_bucket WHERE name = '" + bucket.name() + "')")).containsExactly("1");
    }
}
