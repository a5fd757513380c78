package dev.gatekey.faults;

import dev.gatekey.testsupport.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Closed-loop load: {@code threads} clients, each sending its next request as soon as the previous one is answered,
 * for a given time. Every answer is kept with its latency.
 */
final class Load {

    /** What a client sends: a URL and the key (or {@code null}). */
    record Call(String kind, String url, String key) {
    }

    record Answer(String kind, int status, long nanos, String retryAfter, long startedNanos) {
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(nanos);
        }
    }

    private static final HttpClient CLIENT = HttpTransport.client();

    private Load() {
    }

    /** Runs {@code threads} clients for {@code duration}; client {@code i} sends {@code calls.apply(i)}'s next call. */
    static List<Answer> run(int threads, Duration duration, IntFunction<java.util.function.Supplier<Call>> calls)
            throws InterruptedException {
        Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            java.util.function.Supplier<Call> next = calls.apply(i);
            Thread client = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        answers.add(send(next.get()));
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + i);
            client.setDaemon(true);
            clients.add(client);
        }
        clients.forEach(Thread::start);
        if (!done.await(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("clients still waiting 30 s after the load ended");
        }
        return List.copyOf(answers);
    }

    static Answer send(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(call.url())).timeout(Duration.ofSeconds(20))
                .GET();
        if (call.key() != null) {
            request.header("Authorization", "Bearer " + call.key());
        }
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Answer(call.kind(), response.statusCode(), System.nanoTime() - start,
                    response.headers().firstValue("Retry-After").orElse(null), start);
        } catch (IOException e) {
            return new Answer(call.kind(), -1, System.nanoTime() - start, null, start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(call.kind(), -2, System.nanoTime() - start, null, start);
        }
    }

    /** Latency percentiles and statuses of one kind of call, for reports. */
    static String summary(List<Answer> answers, String kind) {
        List<Answer> of = answers.stream().filter(a -> a.kind().equals(kind)).toList();
        if (of.isEmpty()) {
            return kind + ": none";
        }
        long[] millis = of.stream().mapToLong(Answer::nanos).sorted().map(TimeUnit.NANOSECONDS::toMillis).toArray();
        return kind + ": n=" + of.size() + " statuses=" + of.stream().collect(Collectors.groupingBy(Answer::status,
                java.util.TreeMap::new, Collectors.counting())) + " p50=" + millis[millis.length / 2] + "ms p99="
                + millis[(int) Math.min(millis.length - 1, Math.floor(millis.length * 0.99))] + "ms max="
                + millis[millis.length - 1] + "ms";
    }
}
