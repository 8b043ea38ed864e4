package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Upstream connections of one event loop, so that nothing here is shared between threads: idle HTTP/1.1
 * connections per endpoint (keep-alive, one request at a time each), and one multiplexed h2c connection per
 * endpoint on which every request opens a stream. Every channel it hands out carries an {@link UpstreamHandler}.
 */
final class UpstreamPool {
    static final int MAX_IDLE_PER_KEY = 64;
    private static final int IDLE_SECONDS = 60;

    /** Which connections are interchangeable: same endpoint, same source address, same protocol. */
    record Key(InetSocketAddress address, InetSocketAddress source, boolean http2) {
    }

    private final EventLoop loop;
    private final ProxyContext ctx;
    private final Map<Key, ArrayDeque<Channel>> idle = new HashMap<>();
    private final Map<Key, ChannelFuture> http2Connections = new HashMap<>();

    UpstreamPool(EventLoop loop, ProxyContext ctx) {
        this.loop = loop;
        this.ctx = ctx;
    }

    /** A channel to write one request on; its future completes on this pool's event loop. */
    Future<Channel> acquire(Key key) {
        return key.http2() ? openStream(key) : http1(key);
    }

    private Future<Channel> http1(Key key) {
        ArrayDeque<Channel> channels = idle.get(key);
        Channel channel;
        while (channels != null && (channel = channels.pollLast()) != null) {
            if (channel.isActive()) {
                ctx.stats().increment(Stat.UPSTREAM_RQ_REUSED);
                return loop.newSucceededFuture(channel);
            }
        }
        Promise<Channel> promise = loop.newPromise();
        connect(key, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS),
                        new HttpClientCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_SIZE, HttpLimits.MAX_CHUNK),
                        new UpstreamHandler());
            }
        }).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                Channel connected = f.channel();
                // One listener per connection (not per release): a closed idle connection leaves the pool.
                connected.closeFuture().addListener(c -> {
                    ArrayDeque<Channel> list = idle.get(key);
                    if (list != null) {
                        list.remove(connected);
                    }
                });
                promise.setSuccess(connected);
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /** Gives an HTTP/1.1 connection back: kept for reuse when the exchange left it clean, closed otherwise. */
    void release(Key key, Channel channel, boolean reusable) {
        if (key.http2()) {
            return;
        }
        ArrayDeque<Channel> channels = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!reusable || !channel.isActive() || channels.size() >= MAX_IDLE_PER_KEY) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true);
        channels.addLast(channel);
    }

    private Future<Channel> openStream(Key key) {
        ChannelFuture connection = http2Connections.get(key);
        if (connection == null || (connection.isDone() && !(connection.isSuccess() && connection.channel().isActive()))) {
            connection = connect(key, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                }
            });
            http2Connections.put(key, connection);
            ChannelFuture mine = connection;
            connection.channel().closeFuture().addListener(f -> http2Connections.remove(key, mine));
        }
        Promise<Channel> promise = loop.newPromise();
        connection.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            new Http2StreamChannelBootstrap(f.channel()).handler(streamInitializer()).open()
                    .addListener((Future<Http2StreamChannel> s) -> {
                        if (s.isSuccess()) {
                            promise.setSuccess(s.getNow());
                        } else {
                            promise.setFailure(s.cause());
                        }
                    });
        });
        return promise;
    }

    private static ChannelHandler streamInitializer() {
        return new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new UpstreamHandler());
            }
        };
    }

    private ChannelFuture connect(Key key, ChannelHandler initializer) {
        ctx.stats().increment(Stat.UPSTREAM_CX_TOTAL);
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(ctx.transport().socketChannel())
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(initializer);
        ChannelFuture future = key.source() == null ? bootstrap.connect(key.address())
                : bootstrap.connect(key.address(), key.source());
        future.addListener(f -> {
            if (!f.isSuccess()) {
                ctx.stats().increment(Stat.UPSTREAM_CX_CONNECT_FAIL);
            }
        });
        return future;
    }
}
