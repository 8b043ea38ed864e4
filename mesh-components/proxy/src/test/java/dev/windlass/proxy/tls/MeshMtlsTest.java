package dev.windlass.proxy.tls;

import dev.windlass.contract.MeshTls;
import dev.windlass.contract.SpiffeId;
import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.Role;
import dev.windlass.proxy.config.CredentialRef;
import dev.windlass.proxy.config.DownstreamTls;
import dev.windlass.proxy.config.InvalidConfigException;
import dev.windlass.proxy.config.UpstreamTls;
import dev.windlass.proxy.identity.StandInCa;
import dev.windlass.proxy.identity.WorkloadIdentity;
import dev.windlass.proxy.telemetry.ProxyStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Mesh mTLS between two proxies' compiled TLS, over real loopback sockets: the server chain a sidecar's inbound
 * mTLS filter chain compiles to (its workload certificate, the mesh trust bundle, a client certificate required),
 * and the client origination of an auto-mTLS cluster, each holding a certificate from one stand-in CA. The server
 * answers with what it learnt of its peer: the protocol and the x-forwarded-client-cert value.
 */
class MeshMtlsTest {
    private static final SpiffeId CLIENT = new SpiffeId("cluster.local", "shop", "productpage");
    private static final SpiffeId SERVER = new SpiffeId("cluster.local", "shop", "reviews");
    private static final NodeIdentity SERVER_NODE = new NodeIdentity(Role.SIDECAR, "reviews-v1-abc", "shop", "10.0.0.2",
            "reviews", "reviews-v1", "");
    private static final DownstreamTls INBOUND = new DownstreamTls(new CredentialRef.Workload(false),
            new CredentialRef.Workload(true), true, DownstreamTls.TlsVersion.TLS_1_2, DownstreamTls.TlsVersion.TLS_1_3,
            List.of(), List.of(), List.of());
    private static final UpstreamTls OUTBOUND = new UpstreamTls("outbound_.9080_._.reviews.shop.svc.cluster.local",
            false, false, UpstreamTls.Trust.MESH, null, List.of(), MeshTls.ALPN, new CredentialRef.Workload(false));

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private StandInCa ca;
    private WorkloadIdentity client;
    private WorkloadIdentity server;
    private CredentialStore store;
    private Channel listener;

    @BeforeEach
    void start() throws Exception {
        ca = StandInCa.start(false);
        client = WorkloadIdentity.start(ca.channel(), CLIENT, Duration.ofSeconds(4), executor, TrustBundle.fixed(List.of(ca.root())));
        server = WorkloadIdentity.start(ca.channel(), SERVER, Duration.ofHours(1), executor, TrustBundle.fixed(List.of(ca.root())));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.current().isPresent() && server.current().isPresent());
        store = new CredentialStore(new CredentialReader(null, server), Duration.ofSeconds(10));
        ServerTls tls = new ServerTls(INBOUND, store, SslProvider.JDK);
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        assertThat(tls.install(channel, new ProxyStats())).isTrue();
                        channel.pipeline().addLast(new PeerReporter());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        store.close();
        client.close();
        server.close();
        ca.close();
        executor.shutdownNow();
    }

    @Test
    void meshPeersAgreeOnTls13AndTheServerLearnsTheClientsSpiffeIdFromItsCertificate() throws Exception {
        String answer = call(ClientTls.compile("cluster test", OUTBOUND, client));

        assertThat(answer).startsWith("TLSv1.3 ")
                .contains("By=" + SERVER.uri() + ";Hash=", ";Subject=\"\";URI=" + CLIENT.uri());
    }

    @Test
    void aClientWithoutAMeshCertificateIsRefused() throws Exception {
        SSLContext noCertificate = SSLContext.getInstance("TLS");
        noCertificate.init(null, new javax.net.ssl.TrustManager[]{
                io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0]}, null);
        InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        try (SSLSocket socket = (SSLSocket) noCertificate.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5_000);
            assertThatThrownBy(() -> {
                socket.startHandshake();
                // TLS 1.3 reports a refused client certificate on the first read.
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed by the server");
                }
            }).isInstanceOf(IOException.class);
        }
        assertThat(ClientTls.compile("cluster test", OUTBOUND, WorkloadIdentity.none()))
                .as("a proxy without an identity connects as a client without a sidecar: plain text").isNull();
    }

    @Test
    void aRenewedClientCertificateIsPresentedByTheNextConnection() throws Exception {
        ClientTls tls = ClientTls.compile("cluster test", OUTBOUND, client);
        long version = client.version();
        String first = call(tls);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.version() > version);
        String second = call(tls);

        assertThat(hash(second)).as("the certificate hash in XFCC").isNotEqualTo(hash(first));
    }

    @Test
    void meshTrustRefusesAServerCertificateFromAnotherCa() throws Exception {
        try (StandInCa other = StandInCa.start(false)) {
            WorkloadIdentity stranger = WorkloadIdentity.start(other.channel(), CLIENT, Duration.ofHours(1), executor,
                    TrustBundle.fixed(List.of(other.root())));
            await().atMost(Duration.ofSeconds(10)).until(() -> stranger.current().isPresent());
            assertThatThrownBy(() -> call(ClientTls.compile("cluster test", OUTBOUND, stranger)))
                    .hasMessageContaining("handshake");
            stranger.close();
        }
    }

    private static String hash(String answer) {
        return answer.substring(answer.indexOf(";Hash=") + 6, answer.indexOf(";Subject"));
    }

    /** One connection with {@code tls}: what the server answered, or an exception naming the failed handshake. */
    private String call(ClientTls tls) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        ChannelFuture connected = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(UpstreamTlsHandshake.first(tls, tls.sni(null), address.getPort(), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        answer.complete(buf.toString(StandardCharsets.UTF_8));
                        buf.release();
                        ctx.close();
                    }
                })).connect(address);
        ChannelFuture ready = UpstreamTlsHandshake.completed(connected);
        if (!ready.await(10, TimeUnit.SECONDS) || !ready.isSuccess()) {
            throw new IOException("handshake failed: " + ready.cause(), ready.cause());
        }
        ready.channel().writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
        return answer.get(10, TimeUnit.SECONDS);
    }

    /** The server's app: on the first bytes, tells the client its protocol and what the sidecar learnt of it. */
    private static final class PeerReporter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            MeshPeer peer = MeshPeer.of(ctx.channel(), SERVER_NODE);
            ctx.writeAndFlush(Unpooled.copiedBuffer(tls.engine().getSession().getProtocol() + " "
                    + (peer == null ? "no peer" : peer.forwardedClientCert()), StandardCharsets.UTF_8));
        }
    }
}
