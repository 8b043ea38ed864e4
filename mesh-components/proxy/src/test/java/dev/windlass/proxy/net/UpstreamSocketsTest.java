package dev.windlass.proxy.net;

import com.google.protobuf.UInt32Value;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.ClusterTranslator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cluster's tcp_keepalive on a real upstream connection to a loopback server, read back from the connected
 * socket (getsockopt) under each transport.
 */
class UpstreamSocketsTest {
    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private static final Cluster KEEPALIVE = Cluster.newBuilder().setName("outbound|80||app.test.svc.cluster.local")
            .setType(Cluster.DiscoveryType.STATIC)
            .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))
            .setUpstreamConnectionOptions(io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions.newBuilder().setTcpKeepalive(
                    TcpKeepalive.newBuilder().setKeepaliveProbes(UInt32Value.of(3))
                            .setKeepaliveTime(UInt32Value.of(600)).setKeepaliveInterval(UInt32Value.of(7))))
            .build();

    @Test
    void epollSetsKeepaliveAndItsCountsOnTheUpstreamSocket() throws Exception {
        assumeTrue(Epoll.isAvailable(), "native epoll");
        assertNativeKeepalive(TransportKind.EPOLL, EpollSocketChannel.class, EpollChannelOption.TCP_KEEPCNT,
                EpollChannelOption.TCP_KEEPIDLE, EpollChannelOption.TCP_KEEPINTVL);
    }

    @Test
    void ioUringSetsKeepaliveAndItsCountsOnTheUpstreamSocket() throws Exception {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        assertNativeKeepalive(TransportKind.IO_URING, IoUringSocketChannel.class, IoUringChannelOption.TCP_KEEPCNT,
                IoUringChannelOption.TCP_KEEPIDLE, IoUringChannelOption.TCP_KEEPINTVL);
    }

    private void assertNativeKeepalive(TransportKind kind, Class<? extends Channel> channelClass,
                                       ChannelOption<Integer> count, ChannelOption<Integer> idle,
                                       ChannelOption<Integer> interval) throws Exception {
        Transport transport = Transport.create(kind, 1);
        Channel channel = connect(transport, KEEPALIVE);
        try {
            assertThat(channel).isInstanceOf(channelClass);
            assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(channel.config().getOption(count)).isEqualTo(3);
            assertThat(channel.config().getOption(idle)).isEqualTo(600);
            assertThat(channel.config().getOption(interval)).isEqualTo(7);
            assertThat(channel.config().getOption(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isEqualTo(2000);
        } finally {
            close(channel, transport);
        }
    }

    @Test
    void nioSetsKeepaliveAndItsCountsOnTheUpstreamSocket() throws Exception {
        Transport nio = nio();
        Channel channel = connect(nio, KEEPALIVE);
        try {
            assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT))).isEqualTo(3);
            assertThat(channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE))).isEqualTo(600);
            assertThat(channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL))).isEqualTo(7);
        } finally {
            close(channel, nio);
        }
    }

    @Test
    void withoutTcpKeepaliveTheSocketHasNone() throws Exception {
        Transport nio = nio();
        Channel channel = connect(nio, KEEPALIVE.toBuilder().clearUpstreamConnectionOptions().build());
        try {
            assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isFalse();
        } finally {
            close(channel, nio);
        }
    }

    @Test
    void anEmptyTcpKeepaliveTurnsKeepaliveOnWithTheKernelsTimes() throws Exception {
        Transport nio = nio();
        Cluster empty = KEEPALIVE.toBuilder().setUpstreamConnectionOptions(io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions.newBuilder()
                .setTcpKeepalive(TcpKeepalive.getDefaultInstance())).build();
        Function<Channel, Integer> idle = c -> c.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE));
        Channel plain = connect(nio, KEEPALIVE.toBuilder().clearUpstreamConnectionOptions().build());
        Channel channel = connect(nio, empty);
        try {
            assertThat(channel.config().getOption(ChannelOption.SO_KEEPALIVE)).isTrue();
            assertThat(idle.apply(channel)).isEqualTo(idle.apply(plain));
        } finally {
            plain.close().sync();
            close(channel, nio);
        }
    }

    private static Transport nio() {
        return Transport.create(TransportKind.NIO, 1);
    }

    /** A connection the server leaves in its backlog: established, and open for as long as the server is. */
    private Channel connect(Transport transport, Cluster cluster) throws Exception {
        ClusterConfig config = ClusterTranslator.translate(cluster);
        Bootstrap bootstrap = UpstreamSockets.configure(new Bootstrap(), transport, config)
                .group(transport.group()).channel(transport.socketChannel()).handler(new ChannelInboundHandlerAdapter());
        return bootstrap.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort())).sync().channel();
    }

    private static void close(Channel channel, Transport transport) throws InterruptedException {
        channel.close().sync();
        transport.group().shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
