package dev.gatekey.filter;

import dev.gatekey.metrics.GatekeyMetrics;
import dev.gatekey.principal.ApiKeyPrincipal;
import dev.gatekey.testing.InMemoryKeyStore;
import dev.gatekey.testing.TestTime;
import dev.gatekey.testsupport.http.HttpTransport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Embedded Tomcat with the filter registered programmatically, as a user would, in front of a servlet that
 * echoes what the application sees.
 */
final class FilterServer implements AutoCloseable {

    final InMemoryKeyStore store = new InMemoryKeyStore();
    final TestTime time = new TestTime();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ApiKeyFilter filter = new ApiKeyFilter(store, store, time, time);
    /** HTTP/1.1 only: no h2c upgrade attempts holding concurrent requests back. */
    private final HttpClient client = HttpTransport.client();
    private Tomcat tomcat;
    private int port;
    /** Request threads; one unless a test needs concurrent requests. */
    int threads = 1;
    /** Filters mapped after the key filter, in order (dual auth). */
    final List<FilterDef> laterFilters = new ArrayList<>();

    /** Maps {@code filter} with {@code params} after the key filter (and after those added before it). */
    FilterServer then(String name, Filter filter, Map<String, String> params) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilterClass(filter.getClass().getName());
        def.setFilter(filter);
        params.forEach(def::addInitParameter);
        laterFilters.add(def);
        return this;
    }

    /** Starts with {@code bucket=demo-live} plus {@code params}. */
    FilterServer start(Map<String, String> params) {
        try {
            Path base = Files.createTempDirectory("gatekey-tomcat");
            tomcat = new Tomcat();
            tomcat.setBaseDir(base.toString());
            tomcat.setPort(0);
            tomcat.getConnector().setProperty("maxHttpHeaderSize", "65536");
            tomcat.getConnector().setProperty("maxThreads", Integer.toString(threads));
            Context context = tomcat.addContext("", base.toString());
            context.addServletContainerInitializer(
                    (classes, ctx) -> ctx.setAttribute(GatekeyMetrics.METER_REGISTRY_ATTRIBUTE, registry), null);
            Tomcat.addServlet(context, "echo", new EchoServlet()).addMapping("/*");
            FilterDef def = new FilterDef();
            def.setFilterName("gatekey");
            def.setFilterClass(ApiKeyFilter.class.getName());
            def.setFilter(filter);
            // Tomcat keeps the first value of a param: the test's own params go first.
            params.forEach(def::addInitParameter);
            def.addInitParameter("bucket", InMemoryKeyStore.BUCKET);
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("gatekey");
            map.addURLPattern("/*");
            context.addFilterMap(map);
            for (FilterDef later : laterFilters) {
                context.addFilterDef(later);
                FilterMap laterMap = new FilterMap();
                laterMap.setFilterName(later.getFilterName());
                laterMap.addURLPattern("/*");
                context.addFilterMap(laterMap);
            }
            tomcat.start();
            port = tomcat.getConnector().getLocalPort();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    FilterServer start() {
        return start(Map.of());
    }

    /** GET with headers given as name, value, name, value... */
    HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The status of a GET of {@code /api} with the key, over a connection of its own (blocking, 30 s time-outs): for
     * tests that send many requests at once, whatever the shared client does with its connections.
     */
    int statusWithKey(String key) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://localhost:" + port + "/api").toURL()
                    .openConnection();
            connection.setConnectTimeout(30_000);
            connection.setReadTimeout(30_000);
            connection.setRequestProperty("Authorization", "Bearer " + key);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> getWithKey(String key) {
        return get("/api", "Authorization", "Bearer " + key);
    }

    double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() throws LifecycleException {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
            tomcat = null;
        }
    }

    /** Writes one {@code name=value} line per thing the application can see. */
    static final class EchoServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            var out = resp.getWriter();
            out.println("principal=" + (req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName()));
            out.println("remoteUser=" + req.getRemoteUser());
            out.println("authType=" + req.getAuthType());
            out.println("admin=" + req.isUserInRole("admin"));
            out.println("ordersRead=" + req.isUserInRole("orders:read"));
            out.println("attribute=" + (req.getAttribute(ApiKeyPrincipal.REQUEST_ATTRIBUTE) instanceof ApiKeyPrincipal p
                    ? p.keyId() : null));
            out.println("authorization=" + req.getHeader("Authorization"));
            out.println("authorizationHeaders=" + Collections.list(req.getHeaders("Authorization")));
            out.println("headerNames=" + Collections.list(req.getHeaderNames()));
            out.println("query=" + req.getQueryString());
            out.println("apiKeyParam=" + req.getParameter("api_key"));
            out.println("parameterNames=" + Collections.list(req.getParameterNames()));
        }
    }
}
