package dev.gatekey.bench;

import dev.gatekey.bench.LoadBenchmark.Traffic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** One keep-alive connection of the load benchmark, sending until the deadline and counting what it got back. */
final class LoadClient extends Thread {

    private final int port;
    private final Traffic traffic;
    private final long deadline;
    final boolean recordLatency;
    long requests;
    long errors;
    long[] latencies = new long[1 << 16];
    int count;

    LoadClient(int port, Traffic traffic, long deadline, boolean recordLatency) {
        this.port = port;
        this.traffic = traffic;
        this.deadline = deadline;
        this.recordLatency = recordLatency;
    }

    @Override
    public void run() {
        try (HttpConnection connection = new HttpConnection(port)) {
            long now = System.nanoTime();
            while (now < deadline) {
                byte[] request = traffic.next();
                long sent = System.nanoTime();
                int status = connection.send(request);
                now = System.nanoTime();
                requests++;
                if (status >= 500) {
                    errors++;
                }
                if (recordLatency) {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = now - sent;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
