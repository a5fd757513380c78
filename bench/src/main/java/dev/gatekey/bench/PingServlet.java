package dev.gatekey.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The trivial handler behind every route: the difference between routes is their filter's cost. */
final class PingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] PONG = "pong\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.setContentLength(PONG.length);
        resp.getOutputStream().write(PONG);
    }
}
