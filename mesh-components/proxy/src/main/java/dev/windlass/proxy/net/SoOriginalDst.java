package dev.windlass.proxy.net;

import io.netty.channel.Channel;
import io.netty.channel.unix.RawUnixChannelOption;
import io.netty.channel.unix.UnixChannel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads SO_ORIGINAL_DST (getsockopt(SOL_IP, 80)), the destination netfilter's REDIRECT rewrote, as a
 * {@code struct sockaddr_in}: family (host order), port (network order), IPv4 address, padding. IPv4 only, like
 * the init program's rules. Both native transports' sockets (epoll's and io_uring's, each a {@link UnixChannel})
 * answer the raw getsockopt; NIO's cannot.
 */
public final class SoOriginalDst implements DestinationResolver {
    private static final int SOL_IP = 0;
    private static final int SO_ORIGINAL_DST = 80;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int AF_INET = 2;
    static final RawUnixChannelOption OPTION =
            new RawUnixChannelOption("SO_ORIGINAL_DST", SOL_IP, SO_ORIGINAL_DST, SOCKADDR_IN_SIZE);

    @Override
    public InetSocketAddress originalDestination(Channel accepted) {
        if (!(accepted instanceof UnixChannel)) {
            return null;
        }
        ByteBuffer raw;
        try {
            raw = accepted.config().getOption(OPTION);
        } catch (RuntimeException e) {
            // ENOENT: no conntrack entry, the connection was not NATed.
            return null;
        }
        InetSocketAddress destination = parse(raw);
        // Not redirected: the "original" destination is the capture port itself.
        return destination == null || destination.equals(accepted.localAddress()) ? null : destination;
    }

    static InetSocketAddress parse(ByteBuffer raw) {
        if (raw == null || raw.remaining() < 8) {
            return null;
        }
        ByteBuffer buffer = raw.duplicate();
        int family = buffer.order(ByteOrder.nativeOrder()).getShort(buffer.position()) & 0xFFFF;
        if (family != AF_INET) {
            return null;
        }
        int port = buffer.order(ByteOrder.BIG_ENDIAN).getShort(buffer.position() + 2) & 0xFFFF;
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            address[i] = buffer.get(buffer.position() + 4 + i);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
