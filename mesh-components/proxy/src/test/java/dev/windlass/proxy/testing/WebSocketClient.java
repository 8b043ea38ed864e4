package dev.windlass.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client (Netty's RFC 6455 handshaker: it accepts nothing but a 101 with the right
 * Sec-WebSocket-Accept). Messages received are kept in order as {@code text:<s>}, {@code binary:<hex>} or
 * {@code close:<status>}: a close frame is recorded, not answered, so that a test sees it arrive.
 */
public final class WebSocketClient implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final Channel channel;

    /** Connects to {@code 127.0.0.1:port} and starts the handshake for {@code ws://<authority><path>}. */
    public WebSocketClient(int port, String authority, String path) throws InterruptedException {
        this("127.0.0.1", port, authority, path);
    }

    public WebSocketClient(String address, int port, String authority, String path) throws InterruptedException {
        this(address, port, authority, path, null);
    }

    /** With {@code tls}: over TLS (wss), the authority's host as SNI. */
    public WebSocketClient(String address, int port, String authority, String path, SslContext tls)
            throws InterruptedException {
        URI uri = URI.create((tls == null ? "ws://" : "wss://") + authority + path);
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), uri.getHost(), port));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                        new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(uri,
                                WebSocketVersion.V13, null, false, EmptyHttpHeaders.INSTANCE), false), new Collector());
            }
        }).connect(address, port).sync().channel();
    }

    /** Completes when the upstream's 101 arrived; fails with the handshake's error otherwise. */
    public CompletableFuture<Void> handshake() {
        return handshake;
    }

    public void sendText(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    public void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    public void sendClose() {
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
    }

    /** The next message received, or null after {@code seconds}. */
    public String next(int seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    public boolean awaitClosed(int seconds) {
        return channel.closeFuture().awaitUninterruptibly(seconds, TimeUnit.SECONDS);
    }

    private final class Collector extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                received.add("text:" + text.text());
            } else if (frame instanceof BinaryWebSocketFrame) {
                received.add("binary:" + ByteBufUtil.hexDump(frame.content()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                received.add("close:" + close.statusCode());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            handshake.completeExceptionally(new IllegalStateException("closed before the handshake completed"));
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
