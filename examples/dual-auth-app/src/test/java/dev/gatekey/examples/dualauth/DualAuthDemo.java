package dev.gatekey.examples.dualauth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the example on http://localhost:8080 (README.md): a demo API key, a demo JWT (valid one hour) and the curl
 * commands to try them; Ctrl+C stops it. Made for trying the example, not for production: the store is in memory and
 * the signing key is generated at start and forgotten at exit.
 */
public final class DualAuthDemo {

    private DualAuthDemo() {
    }

    /** {@code args}: the webapp folder ({@code src/main/webapp}) and a work folder ({@code target/dual-auth-demo}). */
    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("port", 8080);
        DualAuthServer server = new DualAuthServer(Path.of(args[0]), Path.of(args[1]), port);
        String key = server.issueKey("demo-live", "acme", Map.of("plan", "gold", "roles", List.of("reader")));
        String token = server.token("user-42", List.of("reader"), Duration.ofHours(1));
        String me = server.baseUrl() + "/api/me";
        System.out.println("Dual-auth example on " + me + " (Ctrl+C stops it)");
        System.out.println("  curl -i -H 'Authorization: ApiKey " + key + "' " + me);
        System.out.println("  curl -i -H 'Authorization: Bearer " + token + "' " + me);
        System.out.println("  curl -i " + me);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("Could not stop: " + e);
            }
        }));
        Thread.currentThread().join();
    }
}
