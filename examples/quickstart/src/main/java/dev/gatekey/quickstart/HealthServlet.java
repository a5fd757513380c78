package dev.gatekey.quickstart;

import dev.gatekey.metrics.GatekeyMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * {@code GET /health}: 200 {@code {"status":"UP", ...}} when a pooled connection validates within a second, else 503
 * {@code "DOWN"}; and what state each Gatekey filter's dependencies are in, as their circuit breakers say:
 * {@code "dependencies":{"<filter's buckets>":{"database":"closed|open|half_open","redis":...}}} (closed: in use;
 * open: not called, the filter answers from memory or 503; half_open: probed).
 */
final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int VALIDATION_SECONDS = 1;

    private final transient DataSource dataSource;
    private final transient MeterRegistry registry;

    HealthServlet(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean up;
        try (Connection connection = dataSource.getConnection()) {
            up = connection.isValid(VALIDATION_SECONDS);
        } catch (SQLException e) {
            up = false;
        }
        response.setStatus(up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(("{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"dependencies\":"
                + dependencies() + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** Bucket names, dependency names and states are plain identifiers: nothing to escape. */
    private String dependencies() {
        Map<String, Map<String, String>> byFilter = new TreeMap<>();
        for (Gauge gauge : registry.find(GatekeyMetrics.DEPENDENCY_STATE).gauges()) {
            if (gauge.value() == 1) {
                byFilter.computeIfAbsent(gauge.getId().getTag(GatekeyMetrics.BUCKET_TAG), k -> new TreeMap<>())
                        .put(gauge.getId().getTag(GatekeyMetrics.DEPENDENCY_TAG),
                                gauge.getId().getTag(GatekeyMetrics.STATE_TAG));
            }
        }
        StringBuilder json = new StringBuilder("{");
        byFilter.forEach((filter, states) -> {
            json.append(json.length() > 1 ? "," : "").append('"').append(filter).append("\":{");
            int start = json.length();
            states.forEach((dependency, state) -> json.append(json.length() > start ? "," : "").append('"')
                    .append(dependency).append("\":\"").append(state).append('"'));
            json.append('}');
        });
        return json.append('}').toString();
    }
}
