package dev.gatekey.admin.http;

import java.util.Map;

/**
 * A refusal decided at the HTTP layer (not by {@link dev.gatekey.persistence.KeyManagement}): 401, 403,
 * 404, 405, 413, 415. Its message is the problem's {@code detail} and must not carry request data.
 */
public class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    public HttpProblem(int status, String detail) {
        this(status, detail, Map.of());
    }

    public HttpProblem(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
