package dev.windlass.proxy.net;

import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.UpstreamOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUringChannelOption;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket options of a connection to a cluster's endpoint, for HTTP and TCP upstreams alike: TCP_NODELAY, the
 * cluster's connect timeout and, with {@code tcp_keepalive}, SO_KEEPALIVE with TCP_KEEPCNT, TCP_KEEPIDLE and
 * TCP_KEEPINTVL where the cluster sets them (the kernel's defaults otherwise), natively under epoll and io_uring,
 * through the JDK's extended socket options under NIO.
 */
public final class UpstreamSockets {
    private UpstreamSockets() {
    }

    public static Bootstrap configure(Bootstrap bootstrap, Transport transport, ClusterConfig cluster) {
        bootstrap.option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, cluster.limits().connectTimeoutMillis());
        UpstreamOptions.Keepalive keepalive = cluster.upstream().keepalive();
        if (keepalive == null) {
            return bootstrap;
        }
        bootstrap.option(ChannelOption.SO_KEEPALIVE, true);
        KeepaliveOptions options = KeepaliveOptions.of(transport.kind());
        set(bootstrap, options.count(), keepalive.probes());
        set(bootstrap, options.idle(), keepalive.timeSeconds());
        set(bootstrap, options.interval(), keepalive.intervalSeconds());
        return bootstrap;
    }

    /** Each transport names TCP_KEEPCNT, TCP_KEEPIDLE and TCP_KEEPINTVL with its own option constants. */
    private record KeepaliveOptions(ChannelOption<Integer> count, ChannelOption<Integer> idle,
                                    ChannelOption<Integer> interval) {
        static KeepaliveOptions of(TransportKind kind) {
            return switch (kind) {
                case EPOLL -> new KeepaliveOptions(EpollChannelOption.TCP_KEEPCNT, EpollChannelOption.TCP_KEEPIDLE,
                        EpollChannelOption.TCP_KEEPINTVL);
                case IO_URING -> new KeepaliveOptions(IoUringChannelOption.TCP_KEEPCNT,
                        IoUringChannelOption.TCP_KEEPIDLE, IoUringChannelOption.TCP_KEEPINTVL);
                case NIO -> new KeepaliveOptions(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT),
                        NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE),
                        NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL));
            };
        }
    }

    private static void set(Bootstrap bootstrap, ChannelOption<Integer> option, int value) {
        if (value > 0) {
            bootstrap.option(option, value);
        }
    }
}
