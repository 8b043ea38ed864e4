package dev.windlass.proxy.net;

import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.UpstreamOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket options of a connection to a cluster's endpoint, for HTTP and TCP upstreams alike: TCP_NODELAY, the
 * cluster's connect timeout and, with {@code tcp_keepalive}, SO_KEEPALIVE with TCP_KEEPCNT, TCP_KEEPIDLE and
 * TCP_KEEPINTVL where the cluster sets them (the kernel's defaults otherwise), natively under epoll, through the
 * JDK's extended socket options under NIO.
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
        if (transport.epoll()) {
            set(bootstrap, EpollChannelOption.TCP_KEEPCNT, keepalive.probes());
            set(bootstrap, EpollChannelOption.TCP_KEEPIDLE, keepalive.timeSeconds());
            set(bootstrap, EpollChannelOption.TCP_KEEPINTVL, keepalive.intervalSeconds());
        } else {
            set(bootstrap, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), keepalive.probes());
            set(bootstrap, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), keepalive.timeSeconds());
            set(bootstrap, NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), keepalive.intervalSeconds());
        }
        return bootstrap;
    }

    private static void set(Bootstrap bootstrap, ChannelOption<Integer> option, int value) {
        if (value > 0) {
            bootstrap.option(option, value);
        }
    }
}
