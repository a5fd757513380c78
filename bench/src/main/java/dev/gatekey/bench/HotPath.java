package dev.gatekey.bench;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;

/**
 * The cached valid request without the network: Tomcat's own request and response objects (connector and coyote
 * request and response, their facades, the request mapped to the benchmark's context so attribute listeners are
 * looked up as in a deployment), recycled and filled with the benchmark's header before each call, handed straight to
 * a filter's {@code doFilter} as Tomcat's filter chain does, the chain ending at an empty handler. On one thread,
 * with its own CPU and allocation counters, subjects interleaved round by round: the same request bytes through
 * nothing (the unfiltered handler), {@link FloorFilter} and Gatekey. What HTTP adds (sockets, parsing, the servlet's
 * response) is the same for all three and left out, so the differences are not drowned in it: over HTTP a request
 * costs about 30 µs of server CPU and moves by ±10 % between rounds, several times the differences sought; here the
 * rounds agree within a few hundred nanoseconds, and the allocation to the byte.
 *
 * <p>It also measures the floor's parts alone: Tomcat turning the header value into a {@code String}, the first
 * request attribute, the request wrapper.
 */
final class HotPath {

    private static final int CALLS = 200_000;
    private static final int WARM_UP_ROUNDS = 3;
    private static final String HEADER = "Authorization";

    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Context context;
    private final byte[] header;
    private final Request request = new Request(new Connector("HTTP/1.1"));
    private final org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
    private final Response response = new Response();
    private final org.apache.coyote.Response coyoteResponse = new org.apache.coyote.Response();
    private final FilterChain handler = (req, res) -> {
        // the unfiltered handler: nothing, so every byte and nanosecond measured is the filter's or Tomcat's for it
    };
    /** Keeps what a measured step returns reachable, so the JIT cannot drop the step. */
    private Object sink;

    /** One thing measured: a filter in front of the handler, or a step of the floor. */
    private record Subject(String name, Step step) {
    }

    private interface Step {
        void run() throws IOException, ServletException;
    }

    HotPath(Context context, String headerValue) {
        this.context = context;
        this.header = headerValue.getBytes(StandardCharsets.ISO_8859_1);
        request.setCoyoteRequest(coyoteRequest);
        response.setCoyoteResponse(coyoteResponse);
        request.setResponse(response);
        response.setRequest(request);
    }

    /** The Markdown section: Gatekey and the floor over the unfiltered handler, then the floor's parts. */
    String report(Filter gatekey, Filter floor, int rounds) throws IOException, ServletException {
        List<Subject> filters = List.of(
                new Subject("unfiltered", () -> handler.doFilter(request.getRequest(), response.getResponse())),
                new Subject("floor", () -> floor.doFilter(request.getRequest(), response.getResponse(), handler)),
                new Subject("gatekey", () -> gatekey.doFilter(request.getRequest(), response.getResponse(), handler)));
        List<Subject> parts = List.of(
                new Subject("nothing", () -> sink = request.getRequest()),
                new Subject("header", () -> sink = request.getRequest().getHeader(HEADER)),
                new Subject("attribute", () -> request.getRequest().setAttribute("principal", context)),
                new Subject("wrapper", () -> sink = new jakarta.servlet.http.HttpServletRequestWrapper(
                        request.getRequest())));
        double[][] f = measure(filters, rounds);
        double[][] p = measure(parts, rounds);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nIn process, Tomcat's request objects handed straight to the filter "
                + "(one thread, %d rounds of %,d calls after %d warm-up rounds, subjects interleaved; differences "
                + "within each round, median and min–max over the rounds):%n%n"
                + "| over the unfiltered handler | CPU ns/request | allocated B/request |%n|---|---:|---:|%n",
                rounds, CALLS, WARM_UP_ROUNDS));
        row(out, "floor filter (header, attribute, wrapper)", f, 1, 0);
        row(out, "**Gatekey, cached valid key**", f, 2, 0);
        row(out, "Gatekey over the floor filter", f, 2, 1);
        out.append(String.format(Locale.ROOT, "%nThe floor's parts, each over recycling and filling the request "
                + "alone (header value of %d characters):%n%n| Tomcat, for any filter | CPU ns | allocated B |%n"
                + "|---|---:|---:|%n", header.length));
        row(out, "`getHeader` (the value becomes a `String`)", p, 1, 0);
        row(out, "first `setAttribute`", p, 2, 0);
        row(out, "`HttpServletRequestWrapper`", p, 3, 0);
        return out.toString();
    }

    private static void row(StringBuilder out, String label, double[][] perRound, int subject, int base) {
        List<Double> cpu = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        for (double[] round : perRound) {
            cpu.add(round[2 * subject] - round[2 * base]);
            bytes.add(round[2 * subject + 1] - round[2 * base + 1]);
        }
        out.append(String.format(Locale.ROOT, "| %s | %.0f (%.0f to %.0f) | %.0f (%.0f to %.0f) |%n", label,
                Report.median(cpu), Report.min(cpu), Report.max(cpu), Report.median(bytes), Report.min(bytes),
                Report.max(bytes)));
    }

    /** Per measured round, CPU ns and allocated bytes per call of each subject: {cpu0, bytes0, cpu1, bytes1, …}. */
    private double[][] measure(List<Subject> subjects, int rounds) throws IOException, ServletException {
        double[][] results = new double[rounds][2 * subjects.size()];
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            for (int i = 0; i < subjects.size(); i++) {
                // each round starts one subject later, so drift spreads over all of them
                int s = Math.floorMod(i + round, subjects.size());
                Step step = subjects.get(s).step();
                long cpu = mx.getCurrentThreadCpuTime();
                long bytes = mx.getCurrentThreadAllocatedBytes();
                for (int call = 0; call < CALLS; call++) {
                    next();
                    step.run();
                }
                if (round >= 0) {
                    results[round][2 * s] = (double) (mx.getCurrentThreadCpuTime() - cpu) / CALLS;
                    results[round][2 * s + 1] = (double) (mx.getCurrentThreadAllocatedBytes() - bytes) / CALLS;
                }
            }
        }
        return results;
    }

    /** What Tomcat does between two requests on a connection, then the next request's header and address. */
    private void next() {
        request.recycle();
        response.recycle();
        coyoteRequest.recycle();
        coyoteResponse.recycle();
        coyoteRequest.getMimeHeaders().addValue(HEADER).setBytes(header, 0, header.length);
        coyoteRequest.remoteAddr().setString("127.0.0.1");
        request.getMappingData().context = context;
    }
}
