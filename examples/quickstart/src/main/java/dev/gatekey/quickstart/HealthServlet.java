package dev.gatekey.quickstart;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** {@code GET /health}: 200 {@code {"status":"UP"}} when a pooled connection validates within a second, else 503. */
final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final int VALIDATION_SECONDS = 1;

    private final transient DataSource dataSource;

    HealthServlet(DataSource dataSource) {
        this.dataSource = dataSource;
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
        response.getOutputStream().write((up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
