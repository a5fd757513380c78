package dev.gatekey.admin.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

/** Just enough of a servlet request and response for the plumbing's unit tests. */
final class Fakes {

    private Fakes() {
    }

    /** A request with {@code body}, declaring {@code contentLength} (-1: none, as when chunked). */
    static HttpServletRequest request(byte[] body, long contentLength) {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        ServletInputStream stream = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getContentLengthLong" -> contentLength;
                    case "getInputStream" -> stream;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** What a {@link #response} recorded. */
    static final class Recorded {
        int status;
        String contentType;
        String characterEncoding;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
    }

    /** An uncommitted response recording into {@code recorded}. */
    static HttpServletResponse response(Recorded recorded) {
        ServletOutputStream stream = new ServletOutputStream() {
            @Override
            public void write(int b) {
                recorded.body.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "isCommitted" -> {
                            return false;
                        }
                        case "getOutputStream" -> {
                            return stream;
                        }
                        case "setStatus" -> recorded.status = (Integer) args[0];
                        case "setHeader" -> recorded.headers.put((String) args[0], (String) args[1]);
                        case "setContentType" -> recorded.contentType = (String) args[0];
                        case "setCharacterEncoding" -> recorded.characterEncoding = (String) args[0];
                        case "resetBuffer", "setContentLength" -> {
                            // nothing buffered; the length is the body's
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
    }
}
