package dev.gatekey.persistence;

import static dev.gatekey.persistence.WebhookReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery worker against a real local HTTP receiver: signed Standard Webhooks requests checked by an
 * independent verifier, the back-off schedule on an injected clock, restart survival, a slow receiver, two nodes
 * (their own pools, services and workers) on one database delivering each event once per attempt, and the delivery
 * latency under no load (event committed → receiver got it).
 */
abstract class WebhookDeliveryContract extends DatabaseTestBase {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final WebhookWorker.Options FAST = new WebhookWorker.Options(2, Duration.ofSeconds(10),
            Duration.ofMillis(50), Duration.ofMinutes(1));

    WebhookReceiver receiver;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void startReceiver() {
        receiver = new WebhookReceiver();
        // each test's endpoint alone is enabled: deliveries left by other tests are never claimed here
        try (var c = db.dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("update gk_webhook_endpoint set enabled = false");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopReceiver() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
        closeAfter.clear();
        receiver.close();
    }

    <T extends AutoCloseable> T closing(T closeable) {
        closeAfter.add(0, closeable);
        return closeable;
    }

    Webhook subscribe(KeyManagement keys, String... events) {
        return keys.webhooks().create(ACTOR, receiver.url(), List.of(events), null);
    }

    WebhookDelivery onlyDelivery(Webhook hook) {
        List<WebhookDelivery> all = km.webhooks().deliveries(hook.id(), 10, null).data();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void deliverDueWhenReceiverAnswers2xxThenSignedStandardWebhookVerifiedIndependently() throws Exception {
        Webhook hook = subscribe(km, "consumer.created");
        Consumer consumer = newConsumer(newBucket(false));
        WebhookWorker worker = new WebhookWorker(km.webhooks(), FAST);
        assertThat(worker.deliverDue(10)).isEqualTo(1);

        WebhookReceiver.Received got = receiver.received.get(0);
        assertThat(StandardWebhooksVerifier.verify(hook.secret(), got.id(), got.timestamp(), got.body(),
                got.signature())).isTrue();
        assertThat(StandardWebhooksVerifier.verify(WebhookSignatures.newSecret(), got.id(), got.timestamp(),
                got.body(), got.signature())).isFalse();
        assertThat(got.id()).startsWith("msg_");
        assertThat(got.timestamp()).isEqualTo(Long.toString(now().getEpochSecond()));
        assertThat(got.contentType()).isEqualTo("application/json");
        Map<String, Object> body = WebhookTestSupport.parse(got.body());
        assertThat(body).containsOnlyKeys("type", "timestamp", "data");
        assertThat(body.get("type")).isEqualTo("consumer.created");
        assertThat(WebhookTestSupport.at(body, "consumer", "name")).isEqualTo(consumer.name());

        WebhookDelivery delivery = onlyDelivery(hook);
        assertThat(delivery.status()).isEqualTo(WebhookDelivery.SUCCEEDED);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.lastResponseCode()).isEqualTo(204);
        assertThat(delivery.nextAttemptOn()).isNull();
        assertThat(worker.deliverDue(10)).isZero();
    }

    @Test
    void deliverDueWhenReceiverKeepsFailingThenExponentialBackoffThenFailedAfterEightAttempts() {
        receiver.answer(500);
        Webhook hook = subscribe(km, "*");
        km.webhooks().sendTest(ACTOR, hook.id());
        WebhookWorker worker = new WebhookWorker(km.webhooks(), FAST, new SplittableRandom(1));
        List<Duration> waits = new ArrayList<>();
        for (int attempt = 1; attempt <= WebhookRetries.MAX_ATTEMPTS; attempt++) {
            assertThat(worker.deliverDue(10)).as("attempt %d", attempt).isEqualTo(1);
            WebhookDelivery d = onlyDelivery(hook);
            assertThat(d.attempts()).isEqualTo(attempt);
            assertThat(d.lastResponseCode()).isEqualTo(500);
            assertThat(d.lastError()).isEqualTo("HTTP 500");
            if (attempt == WebhookRetries.MAX_ATTEMPTS) {
                assertThat(d.status()).isEqualTo(WebhookDelivery.FAILED);
                assertThat(d.nextAttemptOn()).isNull();
                break;
            }
            assertThat(d.status()).isEqualTo(WebhookDelivery.PENDING);
            Duration wait = Duration.between(now(), d.nextAttemptOn());
            Duration base = WebhookRetries.baseDelay(attempt);
            assertThat(wait).isBetween(base.multipliedBy(9).dividedBy(10), base.multipliedBy(11).dividedBy(10));
            waits.add(wait);
            clock.advance(wait.minusMillis(1));
            assertThat(worker.deliverDue(10)).as("not due yet").isZero();
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isGreaterThan(Duration.ofHours(24));
        assertThat(receiver.received).hasSize(WebhookRetries.MAX_ATTEMPTS);
        clock.advance(Duration.ofDays(2));
        assertThat(worker.deliverDue(10)).isZero();
    }

    @Test
    void deliverDueWhenNothingListensThenConnectionErrorRecordedAndRetried() {
        Webhook hook = km.webhooks().create(ACTOR, "http://127.0.0.1:" + freePort() + "/none", List.of("*"), null);
        km.webhooks().sendTest(ACTOR, hook.id());
        assertThat(new WebhookWorker(km.webhooks(), FAST).deliverDue(10)).isEqualTo(1);
        WebhookDelivery d = onlyDelivery(hook);
        assertThat(d.status()).isEqualTo(WebhookDelivery.PENDING);
        assertThat(d.lastResponseCode()).isNull();
        assertThat(d.lastError()).startsWith("ConnectException");
        assertThat(d.nextAttemptOn()).isAfter(now());
    }

    @Test
    void workerWhenStoppedWithUndeliveredEventsThenNewWorkerOnSameDatabaseDeliversAll() {
        receiver.answer(503);
        GatekeyDatabase first = GatekeyDatabase.open(db.dataSource);
        KeyManagement node1 = new KeyManagement(first, format, masterKeys, clock);
        Webhook hook = subscribe(node1, "consumer.created");
        Bucket bucket = node1.buckets().create(ACTOR, unique("restart-"), null, unique("rs") + "_x", false);
        WebhookWorker worker = new WebhookWorker(node1.webhooks(), FAST);
        worker.start();
        for (int i = 0; i < 5; i++) {
            node1.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("r")), false);
        }
        await(WAIT, "5 failed attempts", () -> receiver.received.size() >= 5);
        worker.close();
        for (int i = 0; i < 3; i++) {
            node1.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("r")), false);
        }
        // one more attempt taken by a process that dies before it finishes: its lease is left behind
        assertThat(new WebhookDispatch(node1.webhooks(), new SplittableRandom(2)).claim("dead-node", 1)).hasSize(1);
        first.close();

        receiver.answer(204);
        receiver.received.clear();
        clock.advance(Duration.ofMinutes(2)); // past the first retry and the dead node's lease
        GatekeyDatabase second = closing(GatekeyDatabase.open(db.dataSource));
        KeyManagement node2 = new KeyManagement(second, format, masterKeys, clock);
        closing(startedWorker(node2));
        await(WAIT, "8 events delivered", () -> node2.webhooks().deliveries(hook.id(), 100, null).data().stream()
                .allMatch(d -> d.status().equals(WebhookDelivery.SUCCEEDED)));
        assertThat(node2.webhooks().deliveries(hook.id(), 100, null).data()).hasSize(8);
        assertThat(receiver.received.stream().map(WebhookReceiver.Received::id).distinct()).hasSize(8);
    }

    @Test
    void workerWhenReceiverHangsThenOnlyItsSenderThreadsWaitAndAdminOperationsAnswer() {
        receiver.holdRequests();
        Webhook hook = subscribe(km, "consumer.created");
        Bucket bucket = newBucket(false);
        closing(startedWorker(km));
        for (int i = 0; i < 6; i++) {
            newConsumer(bucket);
        }
        await(WAIT, "both senders stuck in the receiver", () -> receiver.inFlight.get() == FAST.threads());
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            newConsumer(bucket);
            km.buckets().list();
        }
        Duration adminTime = Duration.ofNanos(System.nanoTime() - start);
        assertThat(receiver.inFlight.get()).as("still held while the admin operations ran").isEqualTo(FAST.threads());
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("gatekey-webhooks-\\d+-sender-\\d+") && t.isAlive()).count())
                .isLessThanOrEqualTo(FAST.threads());
        System.out.printf("webhooks: 20 consumer creations + lists took %d ms while the receiver held 2 requests%n",
                adminTime.toMillis());
        receiver.release();
        await(WAIT, "all 26 delivered", () -> receiver.received.size() >= 26);
        assertThat(receiver.maxInFlight.get()).isEqualTo(FAST.threads());
        assertThat(km.webhooks().deliveries(hook.id(), 100, null).data()).hasSize(26);
    }

    @Test
    void workerWhenClosedThenItsThreadsEndAndTheRestWaitsInTheDatabase() {
        Webhook hook = subscribe(km, "*");
        WebhookWorker worker = startedWorker(km);
        km.webhooks().sendTest(ACTOR, hook.id());
        await(WAIT, "the test event", () -> receiver.received.size() == 1);
        worker.close();
        // a pool thread may still be returning from its last task when close() comes back
        await(WAIT, "the worker's threads ended", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith(worker.name() + "-") && t.isAlive()));
        km.webhooks().sendTest(ACTOR, hook.id());
        assertThat(km.webhooks().deliveries(hook.id(), 10, null).data().get(0).status())
                .isEqualTo(WebhookDelivery.PENDING);
        assertThat(receiver.received).hasSize(1);
    }

    WebhookWorker startedWorker(KeyManagement keys) {
        WebhookWorker worker = new WebhookWorker(keys.webhooks(), FAST);
        worker.start();
        return worker;
    }

    static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final WebhookWorker.Options NODE = new WebhookWorker.Options(4, Duration.ofSeconds(10),
            Duration.ofMillis(20), Duration.ofMinutes(1));

    private KeyManagement node() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl);
        config.setMaximumPoolSize(6);
        HikariDataSource pool = closing(new HikariDataSource(config));
        GatekeyDatabase database = closing(GatekeyDatabase.open(pool));
        return new KeyManagement(database, format, masterKeys, clock);
    }

    @Test
    void workersWhenTwoNodesRaceForManyEventsThenEachDeliveredOnceInOneAttempt() {
        KeyManagement node1 = node();
        KeyManagement node2 = node();
        Webhook hook = subscribe(node1, "consumer.created");
        Bucket bucket = newBucket(false);
        int events = 300;
        for (int i = 0; i < events; i++) {
            (i % 2 == 0 ? node1 : node2).consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("n")),
                    false);
        }
        WebhookWorker worker1 = closing(new WebhookWorker(node1.webhooks(), NODE));
        WebhookWorker worker2 = closing(new WebhookWorker(node2.webhooks(), NODE));
        worker1.start();
        worker2.start();
        await(WAIT, events + " events received", () -> receiver.countsById.size() >= events);
        await(WAIT, "every delivery settled", () -> node1.webhooks().deliveries(hook.id(), 1000, null).data()
                .stream().allMatch(d -> d.status().equals(WebhookDelivery.SUCCEEDED)));
        assertThat(receiver.countsById).hasSize(events);
        assertThat(receiver.countsById.values()).allMatch(c -> c.get() == 1);
        assertThat(receiver.received).hasSize(events);
        assertThat(node2.webhooks().deliveries(hook.id(), 1000, null).data()).hasSize(events)
                .allMatch(d -> d.attempts() == 1);
    }

    @Test
    void workerWhenEventCommittedUnderNoLoadThenDeliveredWithinMilliseconds() {
        Webhook hook = subscribe(km, "consumer.created");
        Bucket bucket = newBucket(false);
        closing(new WebhookWorker(km.webhooks(), WebhookWorker.Options.DEFAULT)).start();
        List<Long> micros = new ArrayList<>();
        AtomicLong committed = new AtomicLong();
        Runnable atCommit = () -> committed.set(System.nanoTime());
        km.webhooks().events().addCommittedListener(atCommit);
        try {
            for (int i = 0; i < 50; i++) {
                newConsumer(bucket);
                int expected = i + 1;
                await(WAIT, "event " + expected, () -> receiver.received.size() >= expected);
                micros.add((receiver.received.get(i).nanos() - committed.get()) / 1000);
            }
        } finally {
            km.webhooks().events().removeCommittedListener(atCommit);
        }
        List<Long> sorted = micros.stream().sorted().toList();
        long p50 = sorted.get(sorted.size() / 2);
        long p95 = sorted.get(sorted.size() * 95 / 100);
        long max = sorted.get(sorted.size() - 1);
        System.out.printf("webhooks latency (%s, default options, cause committed -> receiver got it,"
                + " 50 events one at a time): p50 %d us, p95 %d us, max %d us%n", db.name, p50, p95, max);
        // the poller is woken at commit: far below the 1 s poll interval
        assertThat(p50).isLessThan(WebhookWorker.Options.DEFAULT.pollInterval().toNanos() / 1000);
        assertThat(km.webhooks().deliveries(hook.id(), 100, null).data()).hasSize(50);
    }
}
