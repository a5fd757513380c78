package dev.gatekey.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends prepared GET requests and reads the status and a
 * {@code Content-Length} body: a load generator that costs the client little, so the two cores go to the server.
 */
final class HttpConnection implements Closeable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] line = new byte[8192];

    HttpConnection(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** A GET request's bytes: path and header lines ({@code "Name: value"}). */
    static byte[] request(String path, String... headers) {
        StringBuilder text = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends the request and reads the whole response; returns its status. */
    int send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        int length = readLine();
        int status = Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1));
        long contentLength = 0;
        while ((length = readLine()) > 0) {
            if (length > 15 && regionMatchesIgnoreCase("content-length:", length)) {
                contentLength = Long.parseLong(new String(line, 15, length - 15, StandardCharsets.ISO_8859_1).trim());
            }
        }
        for (long left = contentLength; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed in a body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
        return status;
    }

    private boolean regionMatchesIgnoreCase(String name, int length) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.toLowerCase((char) line[i]) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Reads one header line without its CRLF into {@link #line}; returns its length. */
    private int readLine() throws IOException {
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            }
            if (length < line.length) {
                line[length++] = (byte) b;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
