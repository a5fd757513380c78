package dev.gatekey.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The container's error page as {@code application/problem+json}: status, title and a fixed detail per status,
 * never the request, the exception, a stack trace or the server's version (container error pages quote the
 * request line or a header, and a header may hold a key). Map it as the application's default error page:
 *
 * <pre>{@code
 * <servlet>
 *   <servlet-name>gatekeyErrors</servlet-name>
 *   <servlet-class>dev.gatekey.problem.ErrorPageServlet</servlet-class>
 * </servlet>
 * <servlet-mapping>
 *   <servlet-name>gatekeyErrors</servlet-name>
 *   <url-pattern>/gatekey-error</url-pattern>
 * </servlet-mapping>
 * <error-page>
 *   <location>/gatekey-error</location>
 * </error-page>
 * }</pre>
 *
 * <p>Errors found before a request reaches an application (a malformed header line, an encoded {@code /} in a
 * path, an over-long URI) are answered by the container itself: configure it too (Tomcat: the
 * {@code ErrorReportValve} with {@code showReport="false"} and {@code showServerInfo="false"}; see the README's
 * security notes). Requested directly, outside an error dispatch, this servlet answers 404.
 */
public class ErrorPageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = HttpServletResponse.SC_NOT_FOUND;
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                && code >= 400 && code <= 599) {
            status = code;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        ProblemResponses.writeBody(response, body(status).getBytes(StandardCharsets.UTF_8),
                !"HEAD".equals(request.getMethod()));
    }

    /** Only constants and the status number go in: nothing from the request. */
    static String body(int status) {
        return "{\"type\":\"about:blank\",\"title\":\"" + ProblemResponses.title(status) + "\",\"status\":"
                + status + ",\"detail\":\"" + detail(status) + "\"}";
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 404 -> "There is nothing at this address.";
            case 405 -> "This method is not allowed here.";
            case 413 -> "The request is too large.";
            case 414 -> "The address is too long.";
            default -> status >= 500 ? "The server could not answer this request." : "The request was refused.";
        };
    }
}
