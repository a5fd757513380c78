package dev.gatekey.admin.portal;

import dev.gatekey.admin.http.HttpProblem;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portal's files, served below {@code {context}/portal/} from the WAR: its page, script and stylesheet
 * ({@code webapp/portal/}) and, so the portal looks like the admin UI without a second copy, the admin UI's
 * stylesheet and DOM helpers. A fixed list, each file read once when first asked for: nothing else of the WAR
 * is reachable through it. A file missing from the WAR (a build without the web UI) is a 404.
 */
final class PortalAssets {

    private record Asset(String contentType, byte[] bytes) {
    }

    /** Path below {@code /portal/} → resource of the WAR. */
    private static final Map<String, String> FILES = Map.of(
            "", "/portal/index.html",
            "index.html", "/portal/index.html",
            "portal.js", "/portal/portal.js",
            "portal.css", "/portal/portal.css",
            "app.css", "/css/app.css",
            "dom.js", "/js/dom.js");

    private final ServletContext context;
    private final Map<String, Optional<Asset>> assets = new ConcurrentHashMap<>();

    PortalAssets(ServletContext context) {
        this.context = context;
    }

    private Optional<Asset> load(String resource) {
        try (InputStream in = context.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(contentType(resource), in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".js")) {
            return "text/javascript; charset=UTF-8";
        }
        return path.endsWith(".css") ? "text/css; charset=UTF-8" : "text/html; charset=UTF-8";
    }

    /** @throws HttpProblem 404 for any other path, 405 for a method other than GET and HEAD */
    void serve(String method, String path, HttpServletResponse response) throws IOException {
        String resource = FILES.get(path);
        Asset asset = resource == null ? null : assets.computeIfAbsent(path, p -> load(resource)).orElse(null);
        if (asset == null) {
            throw new HttpProblem(404, "no such resource");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new HttpProblem(405, "method " + method + " is not allowed here", Map.of("Allow", "GET, HEAD"));
        }
        response.setStatus(200);
        response.setContentType(asset.contentType());
        response.setContentLength(asset.bytes().length);
        if (method.equals("GET")) {
            response.getOutputStream().write(asset.bytes());
        }
    }
}
