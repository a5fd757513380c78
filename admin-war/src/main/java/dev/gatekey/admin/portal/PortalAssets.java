package dev.gatekey.admin.portal;

import dev.gatekey.admin.http.HttpProblem;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The portal's files, served below {@code {context}/portal/} from the WAR: its page, script and stylesheet
 * ({@code webapp/portal/}) and, so the portal looks like the admin UI without a second copy, the admin UI's
 * stylesheet and DOM helpers. A fixed list read once: nothing else of the WAR is reachable through it.
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

    private final Map<String, Asset> assets = new HashMap<>();

    PortalAssets(ServletContext context) {
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            try (InputStream in = context.getResourceAsStream(file.getValue())) {
                if (in == null) {
                    throw new IllegalStateException("The portal's file " + file.getValue() + " is missing from the WAR");
                }
                assets.put(file.getKey(), new Asset(contentType(file.getValue()), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
        Asset asset = assets.get(path);
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
