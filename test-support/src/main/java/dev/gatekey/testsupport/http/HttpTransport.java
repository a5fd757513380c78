package dev.gatekey.testsupport.http;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The one JDK {@link HttpClient} of the tests: HTTP/1.1 (no {@code h2c} upgrade headers reach the server), keep-alive,
 * a 5 s connect time-out. {@link Http} sends through it; tests that build their own {@code HttpRequest}s (raw
 * methods, cookies, discarded bodies) use {@link #client()}. Needs nothing beyond the JDK, unlike {@link Http}.
 */
public final class HttpTransport {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HttpTransport() {
    }

    /** The shared client. */
    public static HttpClient client() {
        return CLIENT;
    }
}
