package dev.gatekey.persistence;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Delivers webhook events: one poller thread claims due deliveries (see {@link WebhookService} for what is written)
 * and hands each to a fixed pool of {@link Options#threads} sender threads, claiming no more than there are free
 * senders, so a slow or failing receiver occupies at most those threads and never an admin request or the filter.
 * Each attempt is a POST with the JDK {@link HttpClient} (connect and request time-outs {@link Options#timeout}),
 * Standard Webhooks headers ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}); a 2xx is a
 * success, anything else is retried per {@link WebhookRetries}.
 *
 * <p>The poller wakes up at once when an event commits on this node, and every {@link Options#pollInterval}
 * otherwise (events of other nodes, retries coming due); every {@link Options#scanInterval} it runs
 * {@link WebhookService#scanExpiries()}. Several workers (nodes) on one database share the work: a claim is a lease
 * taken by a conditional update, so each attempt is made by one of them. Everything is in the database: a worker
 * that stops (or a node that dies) leaves undelivered events to the next one.
 *
 * <p>{@link #start()} once, {@link #close()} to stop (waits up to the time-out for attempts in flight).
 */
public final class WebhookWorker implements AutoCloseable {

    /**
     * @param threads sender threads (attempts in flight at once), 1..64
     * @param timeout connect and request time-out of an attempt
     * @param pollInterval the longest wait between two looks for due deliveries
     * @param scanInterval how often expiring and expired keys are looked for
     */
    public record Options(int threads, Duration timeout, Duration pollInterval, Duration scanInterval) {

        /** 4 threads, 10 s time-out, 1 s poll, 1 min expiry scan. */
        public static final Options DEFAULT = new Options(4, Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMinutes(1));

        public Options {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads must be between 1 and 64");
            }
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(scanInterval, "scanInterval");
        }
    }

    private static final System.Logger LOG = System.getLogger(WebhookWorker.class.getName());
    private static final AtomicInteger WORKERS = new AtomicInteger();

    private final WebhookService service;
    private final Options options;
    private final WebhookDispatch dispatch;
    private final HttpClient client;
    private final Semaphore freeSenders;
    private final Semaphore wakeups = new Semaphore(0);
    private final Runnable wake = this::wake;
    private final String name = "gatekey-webhooks-" + WORKERS.incrementAndGet();
    private ExecutorService senders;
    private Thread poller;
    private volatile boolean running;
    private volatile boolean failing;
    private Instant nextScan = Instant.MIN;

    public WebhookWorker(WebhookService service, Options options) {
        this(service, options, RandomGenerator.getDefault());
    }

    WebhookWorker(WebhookService service, Options options, RandomGenerator random) {
        this.service = Objects.requireNonNull(service, "service");
        this.options = Objects.requireNonNull(options, "options");
        this.dispatch = new WebhookDispatch(service, random);
        this.freeSenders = new Semaphore(options.threads());
        this.client = HttpClient.newBuilder().connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Starts the poller and the sender threads (daemons). */
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("already started");
        }
        running = true;
        AtomicInteger n = new AtomicInteger();
        senders = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, name + "-sender-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        service.events().addCommittedListener(wake);
        poller = new Thread(this::poll, name + "-poller");
        poller.setDaemon(true);
        poller.start();
        LOG.log(Level.INFO, "Gatekey webhook worker started ({0} senders, {1} ms time-out, poll every {2} ms)",
                options.threads(), options.timeout().toMillis(), options.pollInterval().toMillis());
    }

    /** Stops claiming, and waits up to the time-out for the attempts in flight; later ones stay in the database. */
    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        service.events().removeCommittedListener(wake);
        wake();
        try {
            poller.join(options.timeout().toMillis() * 2 + 1000);
            senders.shutdown();
            if (!senders.awaitTermination(options.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Claims every due delivery (at most {@code max}) and attempts them on the calling thread, one after the other:
     * for Java users without a started worker, and for tests.
     *
     * @return attempts made
     */
    public int deliverDue(int max) {
        List<WebhookDispatch.Claim> claims = dispatch.claim(UUID.randomUUID().toString(), max);
        claims.forEach(this::attempt);
        return claims.size();
    }

    /** The prefix of this worker's thread names ({@code gatekey-webhooks-N}). */
    String name() {
        return name;
    }

    private void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void poll() {
        while (running) {
            try {
                scanWhenDue();
                int free = freeSenders.availablePermits();
                List<WebhookDispatch.Claim> claims = dispatch.claim(UUID.randomUUID().toString(), free);
                for (WebhookDispatch.Claim claim : claims) {
                    freeSenders.acquireUninterruptibly();
                    senders.execute(() -> {
                        try {
                            attempt(claim);
                        } finally {
                            freeSenders.release();
                            wake();
                        }
                    });
                }
                if (failing) {
                    failing = false;
                    LOG.log(Level.INFO, "Gatekey webhook worker: database reachable again");
                }
                if (claims.isEmpty() || claims.size() < free) {
                    waitForWork();
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    LOG.log(Level.WARNING, "Gatekey webhook worker cannot read its deliveries ("
                            + GatekeyDatabase.reason(e) + "); retrying every " + options.pollInterval().toMillis()
                            + " ms");
                }
                waitForWork();
            }
        }
    }

    private void scanWhenDue() {
        Instant now = Instant.now();
        if (now.isAfter(nextScan)) {
            nextScan = now.plus(options.scanInterval());
            service.scanExpiries();
        }
    }

    private void waitForWork() {
        try {
            if (wakeups.tryAcquire(options.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void attempt(WebhookDispatch.Claim claim) {
        Integer status = null;
        String error = null;
        try {
            long timestamp = service.transactions().now().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(URI.create(claim.url()))
                    .timeout(options.timeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "Gatekey-Webhooks")
                    .header("webhook-id", claim.eventId())
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", WebhookSignatures.sign(claim.secret(), claim.eventId(), timestamp,
                            claim.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(claim.payload()))
                    .build();
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            // stopping: the lease runs out and the next worker makes this attempt again
            Thread.currentThread().interrupt();
            return;
        }
        try {
            dispatch.settle(claim, status, error);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Gatekey webhook worker could not record attempt {0} of event {1} ({2}); it is"
                    + " made again once its lease ends", claim.attempt(), claim.eventId(), GatekeyDatabase.reason(e));
            return;
        }
        if (status == null || status < 200 || status >= 300) {
            LOG.log(claim.attempt() >= WebhookRetries.MAX_ATTEMPTS ? Level.WARNING : Level.DEBUG,
                    "Gatekey webhook event {0}: attempt {1} failed ({2})", claim.eventId(), claim.attempt(),
                    error != null ? error : "HTTP " + status);
        }
    }
}
