package dev.windlass.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket echo server on loopback (Netty's server handshake): {@code /ws} upgrades and echoes text and binary
 * messages, and answers a close frame with one before closing; any other path answers 200 {@code plain}. It records
 * the Upgrade header each request arrived with ("-" when none), and keeps its connections to count the open ones.
 */
public final class WebSocketEchoUpstream implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final ChannelGroup open = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<String> upgradeHeaders = new CopyOnWriteArrayList<>();
    private final Channel server;

    public WebSocketEchoUpstream() throws InterruptedException {
        this("127.0.0.1", 0, null);
    }

    /** With {@code tls}, connections are TLS (a backend the proxy originates TLS to). */
    public WebSocketEchoUpstream(String host, int port, SslContext tls) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        open.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new PlainOrUpgrade(),
                                new WebSocketServerProtocolHandler("/ws"), new Echo());
                    }
                }).bind(new InetSocketAddress(host, port)).sync().channel();
    }

    /** Usage: {@code WebSocketEchoUpstream PORT}: serves on 127.0.0.1:PORT (an app in a pod), prints "ready". */
    public static void main(String[] args) throws Exception {
        new WebSocketEchoUpstream("127.0.0.1", Integer.parseInt(args[0]), null);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The Upgrade header of each request that arrived, in order; "-" for a request without one. */
    public List<String> upgradeHeaders() {
        return upgradeHeaders;
    }

    /** Client connections still open. */
    public int openConnections() {
        return open.size();
    }

    private final class PlainOrUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
        PlainOrUpgrade() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            upgradeHeaders.add(request.headers().get(HttpHeaderNames.UPGRADE, "-"));
            if (request.uri().startsWith("/ws")) {
                ctx.fireChannelRead(request);
                return;
            }
            request.release();
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("plain", StandardCharsets.US_ASCII));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
            ctx.writeAndFlush(response);
        }
    }

    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(frame.retainedDuplicate());
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        open.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
