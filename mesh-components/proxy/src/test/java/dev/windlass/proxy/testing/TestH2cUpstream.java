package dev.windlass.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c-only server on loopback (Netty, prior knowledge; HTTP/1.1 bytes break its connection): answers
 * {@code h2c NAME}, {@code /sleep/<millis>} after that long; counts the TCP connections it accepted, the requests,
 * the most streams in flight at once on one connection, and the HTTP/1.x requests it refused. With a server
 * SslContext it speaks h2 over TLS instead, and records the protocol each handshake agreed by ALPN.
 */
public final class TestH2cUpstream implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel server;
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger maxStreamsOnAConnection = new AtomicInteger();
    private final AtomicInteger http1Requests = new AtomicInteger();

    private final java.util.List<String> alpnSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

    public TestH2cUpstream(String name) throws InterruptedException {
        this(name, null);
    }

    public TestH2cUpstream(String name, io.netty.handler.ssl.SslContext tls) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch.remoteAddress());
                        AtomicInteger inFlight = new AtomicInteger();
                        if (tls != null) {
                            io.netty.handler.ssl.SslHandler ssl = tls.newHandler(ch.alloc());
                            ssl.handshakeFuture().addListener(f -> {
                                if (f.isSuccess()) {
                                    alpnSeen.add(String.valueOf(ssl.applicationProtocol()));
                                }
                            });
                            ch.pipeline().addLast(ssl);
                        }
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                                new HttpObjectAggregator(1 << 16), new Answer(name, inFlight));
                                    }
                                }), new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        // Netty's h2 codec names an HTTP/1.x request in place of the preface.
                                        if (String.valueOf(cause.getMessage()).contains("Unexpected HTTP/1.x request")) {
                                            http1Requests.incrementAndGet();
                                        }
                                        ctx.close();
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final String name;
        private final AtomicInteger inFlight;

        Answer(String name, AtomicInteger inFlight) {
            this.name = name;
            this.inFlight = inFlight;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            maxStreamsOnAConnection.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            String path = request.uri();
            long delay = path.startsWith("/sleep/") ? Long.parseLong(path.substring("/sleep/".length())) : 0;
            ctx.executor().schedule(() -> {
                inFlight.decrementAndGet();
                byte[] body = ("h2c " + name).getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length).set("x-upstream", name);
                ctx.writeAndFlush(response);
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.size();
    }

    /** HTTP/1.x requests that arrived in place of the h2 preface (and were refused). */
    public int http1Requests() {
        return http1Requests.get();
    }

    /** The ALPN protocol of each TLS handshake that succeeded ("null" when none was agreed). */
    public java.util.List<String> alpnSeen() {
        return java.util.List.copyOf(alpnSeen);
    }

    public int requests() {
        return requests.get();
    }

    public int maxStreamsOnAConnection() {
        return maxStreamsOnAConnection.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
