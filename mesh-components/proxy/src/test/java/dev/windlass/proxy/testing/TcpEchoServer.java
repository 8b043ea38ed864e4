package dev.windlass.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP server on loopback that writes back what it reads, prefixed once by {@code NAME:}; with a TLS context it
 * terminates TLS itself (a backend behind TLS passthrough).
 */
public final class TcpEchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    public TcpEchoServer(String name) throws IOException {
        this(name, null);
    }

    public TcpEchoServer(String name, javax.net.ssl.SSLContext tls) throws IOException {
        server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    Thread.ofPlatform().daemon().start(() -> echo(name, socket));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void echo(String name, Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            out.write((name + ":").getBytes());
            out.flush();
            in.transferTo(out);
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Connections accepted so far: whether the proxy connected to this server at all. */
    public int accepted() {
        return accepted.get();
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
