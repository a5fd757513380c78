package dev.gatekey.bench;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The baseline: what an application writes by hand. Per request, the SHA-256 of the bearer token and one JDBC
 * SELECT on its key table (same database, same index); 401 when absent, 503 when the database fails. No format
 * check, no checksum, no cache.
 */
final class HandWrittenFilter implements Filter {

    private final DataSource dataSource;
    final AtomicLong queries = new AtomicLong();

    HandWrittenFilter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            response.sendError(401);
            return;
        }
        String consumer;
        try {
            consumer = lookUp(header.substring(7).trim());
        } catch (SQLException e) {
            response.setStatus(503);
            response.setContentLength(0);
            return;
        }
        if (consumer == null) {
            response.setStatus(401);
            response.setContentLength(0);
            return;
        }
        request.setAttribute("consumer", consumer);
        chain.doFilter(request, response);
    }

    /** The consumer of an active key, or {@code null}: one SHA-256 and one SELECT. */
    String lookUp(String key) throws SQLException {
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        queries.incrementAndGet();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT k.public_id, c.name FROM gk_api_key k JOIN gk_consumer c ON c.id = k.consumer_id"
                                + " WHERE k.key_hash = ? AND k.revoked_on IS NULL")) {
            select.setString(1, hash);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(2) : null;
            }
        }
    }
}
