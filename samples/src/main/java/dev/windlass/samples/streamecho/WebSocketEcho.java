package dev.windlass.samples.streamecho;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket half of stream-echo: HTTP/1.1 with the Upgrade to a WebSocket on {@value EchoProtocol#WEBSOCKET_PATH},
 * where every text message is sent back as it came; {@code GET /health} answers 200 for the readiness probe. Close
 * and ping frames are answered by Netty's protocol handler.
 */
final class WebSocketEcho implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    private WebSocketEcho(int port, DropRule drop) throws InterruptedException {
        WebSocketServerProtocolConfig websocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(EchoProtocol.WEBSOCKET_PATH).checkStartsWith(true).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(websocket), new Connection(drop));
                    }
                }).bind(new InetSocketAddress(port)).sync().channel();
    }

    /** Serves on {@code port} (0 picks a free one). */
    static WebSocketEcho start(int port, DropRule drop) throws InterruptedException {
        return new WebSocketEcho(port, drop);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection: plain HTTP requests until the upgrade, then its text messages. */
    private static final class Connection extends SimpleChannelInboundHandler<Object> {
        private final DropRule drop;
        private long received;

        Connection(DropRule drop) {
            this.drop = drop;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                if (!drop.drops(received++)) {
                    ctx.writeAndFlush(new TextWebSocketFrame(frame.text()));
                }
            } else if (msg instanceof FullHttpRequest request) {
                boolean health = request.uri().equals("/health");
                answer(ctx, request, health ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                        health ? "{\"status\":\"ok\"}" : "{\"error\":\"WebSocket on " + EchoProtocol.WEBSOCKET_PATH + "\"}");
            }
        }

        private static void answer(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
