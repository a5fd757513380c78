package dev.gatekey.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time and bytes allocated by the server's threads (Tomcat's {@code http-nio-*} threads and the filter's
 * {@code gatekey-*} thread), from the JVM's per-thread counters: the load generator's threads in the same JVM are
 * not counted. A thread that ends between two snapshots loses its share (Tomcat keeps its pool).
 */
final class ServerThreads {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    record Snapshot(long cpuNanos, long allocatedBytes) {
        Snapshot minus(Snapshot earlier) {
            return new Snapshot(cpuNanos - earlier.cpuNanos, allocatedBytes - earlier.allocatedBytes);
        }
    }

    static void enable() {
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /** Per server thread: CPU nanoseconds and allocated bytes so far. */
    static Map<Long, Snapshot> perThread() {
        Map<Long, Snapshot> result = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("http-nio-") || name.startsWith("gatekey-")) {
                long id = thread.getId();
                long cpu = THREADS.getThreadCpuTime(id);
                long allocated = THREADS.getThreadAllocatedBytes(id);
                if (cpu >= 0 && allocated >= 0) {
                    result.put(id, new Snapshot(cpu, allocated));
                }
            }
        }
        return result;
    }

    /** What the server threads did between two {@link #perThread} calls (threads present in both). */
    static Snapshot between(Map<Long, Snapshot> before, Map<Long, Snapshot> after) {
        long cpu = 0;
        long allocated = 0;
        for (Map.Entry<Long, Snapshot> entry : after.entrySet()) {
            Snapshot start = before.getOrDefault(entry.getKey(), new Snapshot(0, 0));
            Snapshot delta = entry.getValue().minus(start);
            cpu += delta.cpuNanos();
            allocated += delta.allocatedBytes();
        }
        return new Snapshot(cpu, allocated);
    }

    private ServerThreads() {
    }
}
