package dev.gatekey.admin.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body within a limit, counted while read: a missing or lying {@code Content-Length} does not
 * get past it. Over the limit → {@link HttpProblem} 413 "the body must not exceed N bytes".
 */
public final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * The whole body, at most {@code limit} bytes.
     *
     * @throws HttpProblem 413 when the declared length or the bytes read exceed {@code limit}
     */
    public static byte[] read(HttpServletRequest request, int limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > limit) {
                    throw tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static HttpProblem tooLarge(int limit) {
        return new HttpProblem(413, "the body must not exceed " + limit + " bytes");
    }
}
