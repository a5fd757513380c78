package dev.gatekey.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} refuses to send (control
 * characters, raw bytes in headers) and for several requests on one keep-alive connection.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) {
        try {
            socket = new Socket("localhost", port);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a GET with the given header lines (bytes as given, ISO-8859-1) and reads its response. */
    Response get(String path, byte[]... headerLines) {
        try {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] line : headerLines) {
                request.writeBytes(line);
                request.writeBytes(new byte[] {'\r', '\n'});
            }
            request.writeBytes(new byte[] {'\r', '\n'});
            out.write(request.toByteArray());
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] line(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private Response read() throws IOException {
        String status = readLine();
        int code = Integer.parseInt(status.split(" ")[1]);
        List<String> headers = new ArrayList<>();
        int length = 0;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            headers.add(line);
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(code, headers, new String(body, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Response(int status, List<String> headers, String body) {
    }
}
