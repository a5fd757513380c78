package dev.gatekey.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port in front of a real server (PostgreSQL, Redis), which a test can
 * {@linkplain #cut() cut} (every connection closed, new ones closed at once: the server looks down),
 * {@linkplain #stall() stall} (connections stay open but no byte goes through: the server looks hung, like a
 * {@code SIGSTOP}ped process or a black-holed network) and {@linkplain #restore() restore}. Threads are daemons
 * and end with {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode { PASS, CUT, STALL }

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("proxy-accept-" + port(), this::acceptLoop).start();
    }

    /** The local port clients connect to. */
    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Closes every connection and refuses new ones (accepted, then closed at once). */
    public void cut() {
        mode = Mode.CUT;
        closeAll();
    }

    /** Holds every byte in both directions on every connection, old and new, until {@link #restore()}. */
    public void stall() {
        mode = Mode.STALL;
    }

    /** Passes bytes again; connections cut stay closed, stalled ones resume. */
    public void restore() {
        synchronized (gate) {
            mode = Mode.PASS;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (mode == Mode.CUT) {
                closeQuietly(client);
                continue;
            }
            daemon("proxy-connect-" + port(), () -> connect(client)).start();
        }
    }

    private void connect(Socket client) {
        sockets.add(client);
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
            // a stalled server accepts nothing: hold the new connection like the others
            awaitPass();
            if (mode == Mode.CUT || closed) {
                throw new IOException("cut");
            }
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        daemon("proxy-up-" + port(), () -> pump(client, upstream)).start();
        daemon("proxy-down-" + port(), () -> pump(upstream, client)).start();
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitPass();
                if (mode == Mode.CUT) {
                    break;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side or a cut closed the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitPass() throws IOException {
        synchronized (gate) {
            while (mode == Mode.STALL && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
    }

    private void closeAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        closed = true;
        restore();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        closeAll();
    }
}
