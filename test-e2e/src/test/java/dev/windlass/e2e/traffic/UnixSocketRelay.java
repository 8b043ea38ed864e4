package dev.windlass.e2e.traffic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Relays byte streams between TCP and a Unix domain socket. A Unix socket is a file, so it is the one way between
 * network namespaces that needs no link into the host's own network: the proxies in the test's namespaces reach
 * the discovery server, which runs on the host's loopback next to the apiserver, through a relay inside the
 * namespaces (TCP → socket file) and one in the test JVM (socket file → TCP). Half-closes are passed on, so
 * gRPC sees the ends of streams as they happen.
 */
final class UnixSocketRelay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final SocketAddress target;

    private UnixSocketRelay(ServerSocketChannel server, SocketAddress target) {
        this.server = server;
        this.target = target;
        Thread.ofVirtual().name("relay-accept").start(this::acceptLoop);
    }

    /** Listens on {@code listen} (TCP or Unix) and connects every accepted stream to {@code target}. */
    static UnixSocketRelay start(SocketAddress listen, SocketAddress target) throws IOException {
        ServerSocketChannel server;
        if (listen instanceof UnixDomainSocketAddress unix) {
            Files.deleteIfExists(unix.getPath());
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            server = ServerSocketChannel.open();
        }
        server.bind(listen);
        return new UnixSocketRelay(server, target);
    }

    /** Usage: {@code UnixSocketRelay HOST:PORT SOCKET_PATH}: relays TCP on HOST:PORT to the socket; prints "ready". */
    public static void main(String[] args) throws Exception {
        String[] hostPort = args[0].split(":");
        start(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), UnixDomainSocketAddress.of(Path.of(args[1])));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel downstream = server.accept();
                Thread.ofVirtual().name("relay-connect").start(() -> relay(downstream));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(SocketChannel downstream) {
        SocketChannel upstream;
        try {
            upstream = SocketChannel.open(target);
        } catch (IOException e) {
            close(downstream); // the target is down: the client sees a closed connection, as it would without us
            return;
        }
        AtomicInteger open = new AtomicInteger(2);
        Thread.ofVirtual().start(() -> copy(downstream, upstream, open));
        Thread.ofVirtual().start(() -> copy(upstream, downstream, open));
    }

    /** Copies until end of stream; the second direction to finish closes both channels. */
    private static void copy(SocketChannel from, SocketChannel to, AtomicInteger open) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
            if (open.decrementAndGet() == 0) {
                close(from);
                close(to);
            }
        } catch (IOException e) {
            // a reset on one side ends both: nothing half-open is left behind
            close(from);
            close(to);
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
