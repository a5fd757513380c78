package dev.gatekey.filter;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the change-feed poll on the filter's scheduler, every {@code changePollMillis} and on demand: a request
 * thread holding a key the node has never heard of can ask for a poll that started after it arrived, and wait
 * (bounded) for it. Demanded polls are at least {@link #MIN_SPACING} apart however many threads ask, so a flood
 * costs the database a few small feed queries per second, not a lookup per request.
 */
final class FeedPolls {

    /** Least time between the starts of two demanded polls. */
    static final Duration MIN_SPACING = Duration.ofMillis(20);

    private final Runnable poll;
    private final ScheduledExecutorService scheduler;
    private final Object lock = new Object();
    private long lastStart;
    private long completedStart;
    private boolean completedAny;
    private boolean demanded;

    FeedPolls(Runnable poll, ScheduledExecutorService scheduler) {
        this.poll = poll;
        this.scheduler = scheduler;
        this.lastStart = System.nanoTime() - MIN_SPACING.toNanos();
    }

    /** One poll, on the calling thread (the scheduler's). Never throws what {@code poll} does not. */
    void run() {
        long start = System.nanoTime();
        synchronized (lock) {
            lastStart = start;
            demanded = false;
        }
        try {
            poll.run();
        } finally {
            synchronized (lock) {
                if (!completedAny || start - completedStart > 0) {
                    completedStart = start;
                }
                completedAny = true;
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits until a poll that started at or after {@code arrivalNanos} ({@link System#nanoTime()}) has completed,
     * asking for one when none is due.
     *
     * @return false when {@code timeout} passed first, the scheduler is shut down, or the thread was interrupted
     */
    boolean awaitPollStartedAfter(long arrivalNanos, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            if (isDone(arrivalNanos)) {
                return true;
            }
            if (!demanded) {
                long delay = Math.max(0, lastStart + MIN_SPACING.toNanos() - System.nanoTime());
                try {
                    scheduler.schedule(this::run, delay, TimeUnit.NANOSECONDS);
                    demanded = true;
                } catch (RejectedExecutionException e) {
                    return false;
                }
            }
            try {
                while (!isDone(arrivalNanos)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }

    private boolean isDone(long arrivalNanos) {
        return completedAny && completedStart - arrivalNanos >= 0;
    }
}
