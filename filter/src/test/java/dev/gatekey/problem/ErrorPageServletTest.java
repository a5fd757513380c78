package dev.gatekey.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekey.testsupport.http.HttpTransport;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The error page as an application maps it (default error page), in embedded Tomcat. */
class ErrorPageServletTest {

    private static final String SECRET = "demo_live_0123456789ABCDEFGHIJKLMNOPQRSTabcdefghij_2FioA8";
    private static Tomcat tomcat;
    private static int port;
    private final HttpClient client = HttpTransport.client();

    /** Fails with a message and a cause that quote request data, as careless application code does. */
    static final class FailingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
            throw new ServletException("cannot handle " + request.getHeader("Authorization"),
                    new IllegalStateException("state " + SECRET));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path base = Files.createTempDirectory("gatekey-error-page");
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "failing", new FailingServlet()).addMapping("/boom");
        Tomcat.addServlet(context, "errors", new ErrorPageServlet()).addMapping("/gatekey-error");
        ErrorPage everything = new ErrorPage();
        everything.setLocation("/gatekey-error");
        context.addErrorPage(everything);
        tomcat.start();
        port = tomcat.getConnector().getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + SECRET)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serviceWhenServletThrowsThen500ProblemWithoutMessageTraceOrVersion() throws Exception {
        HttpResponse<String> response = send("GET", "/boom");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(ProblemResponses.PROBLEM_JSON));
        assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\","
                + "\"status\":500,\"detail\":\"The server could not answer this request.\"}");
    }

    @Test
    void serviceWhenUnknownPathThen404Problem() throws Exception {
        HttpResponse<String> response = send("GET", "/no/such/" + SECRET);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"status\":404").doesNotContain(SECRET, "Tomcat");
    }

    @Test
    void serviceWhenMethodNotAllowedThen405Problem() throws Exception {
        HttpResponse<String> response = send("DELETE", "/boom");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).contains("\"status\":405", "This method is not allowed here.");
    }

    @Test
    void serviceWhenRequestedDirectlyThen404() throws Exception {
        HttpResponse<String> response = send("GET", "/gatekey-error");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"status\":404");
    }
}
