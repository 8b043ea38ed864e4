package dev.windlass.proxy.testing;

import dev.windlass.proxy.net.DestinationResolver;
import io.netty.channel.Channel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the kernel's SO_ORIGINAL_DST in tests without iptables: a test names the original destination
 * when it opens the connection, keyed by the client's local port. The sockets and the proxy stay real; the
 * iptables path itself is covered by the network-namespace test.
 */
public final class TestResolver implements DestinationResolver {
    private final Map<Integer, InetSocketAddress> byClientPort = new ConcurrentHashMap<>();

    /** The answer for connections the test did not open itself (an external tool's), or null. */
    private volatile InetSocketAddress otherwise;

    @Override
    public InetSocketAddress originalDestination(Channel accepted) {
        InetSocketAddress named = byClientPort.get(((InetSocketAddress) accepted.remoteAddress()).getPort());
        return named != null ? named : otherwise;
    }

    /** Every connection not opened by {@link #connect} is taken as redirected from {@code originalDestination}. */
    public void redirectOthersFrom(InetSocketAddress originalDestination) {
        otherwise = originalDestination;
    }

    /** Opens a connection to the capture port as if it had been redirected from {@code originalDestination}. */
    public Socket connect(int capturePort, InetSocketAddress originalDestination) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        byClientPort.put(socket.getLocalPort(), originalDestination);
        socket.connect(new InetSocketAddress("127.0.0.1", capturePort), 3000);
        return socket;
    }
}
