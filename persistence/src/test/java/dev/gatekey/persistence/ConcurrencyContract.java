package dev.gatekey.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real threads released together by a latch, against the database's own locking. */
abstract class ConcurrencyContract extends DatabaseTestBase {

    /** Runs {@code tasks} on their own threads, all released at once; each result or its failure. */
    private static <T> List<Object> race(List<Callable<T>> tasks) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch ready = new CountDownLatch(tasks.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            ready.await();
            start.countDown();
            List<Object> outcomes = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    outcomes.add(future.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    outcomes.add(e.getCause());
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("a racing task did not finish", e);
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void createConsumerWhenOneNameCreatedConcurrentlyThenExactlyOneWins() throws Exception {
        Bucket bucket = newBucket(false);
        List<Callable<Consumer>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> km.consumers().create(ACTOR, bucket.name(), NewConsumer.named("racer"), true));
        }
        List<Object> outcomes = race(tasks);

        assertThat(outcomes).filteredOn(Consumer.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !(o instanceof Consumer)).hasSize(7).allSatisfy(o ->
                assertThat((Throwable) o).isInstanceOf(ConflictException.class)
                        .hasMessage("consumer racer already exists in bucket " + bucket.name()));
        assertThat(km.keys().list(bucket.name(), "racer", KeyFormat.NONE)).hasSize(1);
        assertThat(db.strings("SELECT COUNT(*) FROM gk_consumer WHERE name = 'racer' AND bucket_id ="
                + " (SELECT id FROM gk_bucket WHERE name = '" + bucket.name() + "')")).containsExactly("1");
    }

    /**
     * Rolls serialize on the consumer's row lock, so their keys are created in lock order (ascending
     * ids). Each roll caps every earlier active key at its date; a key's final expiry is therefore
     * the soonest date among the rolls that came after it, and only the last roll's key never expires.
     */
    @Test
    void rollKeyWhenRolledConcurrentlyThenRollsSerializeAndEveryExpiryIsExplained() throws Exception {
        Bucket bucket = newBucket(false);
        Consumer consumer = km.consumers().create(ACTOR, bucket.name(), NewConsumer.named(unique("roller")), true);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int rolls = 6;
        List<Instant> dates = new ArrayList<>();
        List<Callable<ApiKey>> tasks = new ArrayList<>();
        for (int i = 0; i < rolls; i++) {
            Instant date = now.plus(Duration.ofDays(1 + (i * 5L) % 7)).plusSeconds(i);
            dates.add(date);
            tasks.add(() -> km.keys().roll(ACTOR, bucket.name(), consumer.name(), date));
        }
        List<Object> outcomes = race(tasks);

        assertThat(outcomes).allMatch(ApiKey.class::isInstance);
        Map<String, Instant> dateOfNewKey = new HashMap<>();
        for (int i = 0; i < rolls; i++) {
            dateOfNewKey.put(((ApiKey) outcomes.get(i)).id(), dates.get(i));
        }
        List<ApiKey> keys = km.keys().list(bucket.name(), consumer.name(), KeyFormat.NONE);
        assertThat(keys).hasSize(rolls + 1);
        assertThat(keys).allMatch(k -> k.revokedOn() == null);
        // listKeys is in id order = creation order = lock order
        List<String> order = keys.stream().map(ApiKey::id).toList();
        assertThat(order.get(0)).isEqualTo(consumer.apiKeys().get(0).id());
        for (int j = 0; j < keys.size(); j++) {
            Instant expected = order.subList(j + 1, order.size()).stream().map(dateOfNewKey::get)
                    .min(Comparator.naturalOrder()).orElse(null);
            assertThat(keys.get(j).expiresOn()).as("key %d of %d", j, keys.size()).isEqualTo(expected);
        }
        assertThat(keys).filteredOn(k -> k.expiresOn() == null).hasSize(1);
    }

    @Test
    void adjustCreditsWhenIncrementedConcurrentlyThenNoIncrementIsLost() throws Exception {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), NewKey.plain().withCredits(Credits.of(0)));
        List<Callable<ApiKey>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> km.keys().adjustCredits(ACTOR, bucket.name(), consumer.name(), key.id(),
                    CreditOperation.INCREMENT, 5));
        }
        assertThat(race(tasks)).allMatch(ApiKey.class::isInstance);
        assertThat(km.keys().get(bucket.name(), consumer.name(), key.id(), KeyFormat.NONE).credits().remaining())
                .isEqualTo(40);
        assertThat(generationOf(key.id())).isEqualTo(8);
    }

    @Test
    void adjustCreditsWhenDecrementedConcurrentlyThenNeverBelowZero() throws Exception {
        Bucket bucket = newBucket(false);
        Consumer consumer = newConsumer(bucket);
        ApiKey key = km.keys().create(ACTOR, bucket.name(), consumer.name(), NewKey.plain().withCredits(Credits.of(5)));
        List<Callable<ApiKey>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(() -> km.keys().adjustCredits(ACTOR, bucket.name(), consumer.name(), key.id(),
                    CreditOperation.DECREMENT, 1));
        }
        List<Object> outcomes = race(tasks);
        assertThat(outcomes).filteredOn(ApiKey.class::isInstance).hasSize(5);
        assertThat(outcomes).filteredOn(o -> !(o instanceof ApiKey)).hasSize(3).allSatisfy(o ->
                assertThat(((InvalidInputException) o).errors())
                        .containsExactly(new FieldError("amount", "would make remaining negative")));
        assertThat(km.keys().get(bucket.name(), consumer.name(), key.id(), KeyFormat.NONE).credits().remaining())
                .isZero();
    }
}
