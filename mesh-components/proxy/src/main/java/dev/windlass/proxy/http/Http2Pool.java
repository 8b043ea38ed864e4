package dev.windlass.proxy.http;

import dev.windlass.proxy.config.ClusterConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The h2c connections of one event loop, per endpoint (Envoy's HTTP/2 pool): a request opens a stream on the first
 * connection with a stream free, below the cluster's max_concurrent_streams and the peer's SETTINGS limit, and not
 * spent (max_requests_per_connection); else on a new connection, which counts against the cluster's max_connections
 * until it closes. Beyond max_connections a request waits for a place, up to max_pending_requests, as HTTP/1.1
 * requests do: a connection whose last stream ends while requests wait closes to give its place. A connection past
 * max_connection_duration takes no new streams. With TLS origination the connections are h2 in TLS (the pool's
 * connect does the handshake; the cluster offers h2 by ALPN), never h2c in plain text.
 */
final class Http2Pool {
    private final EventLoop loop;
    private final UpstreamPool pool;
    private final Map<UpstreamPool.Key, List<Connection>> connections = new HashMap<>();

    /** One h2c connection: its streams in flight (counted from the reservation) and the streams it has served. */
    private static final class Connection {
        final ChannelFuture future;
        final int maxStreams;
        final int maxUses;
        int streams;
        int uses;
        /** Past max_connection_duration: draining, no new streams. */
        boolean retired;
        Http2FrameCodec codec;

        Connection(ChannelFuture future, ClusterConfig.Limits limits) {
            this.future = future;
            this.maxStreams = limits.maxConcurrentStreams();
            this.maxUses = limits.maxRequestsPerConnection();
        }

        /** Not failed, not closed, not spent, with a stream free by our limit and the peer's. */
        boolean takesStream() {
            if (retired || (maxUses > 0 && uses >= maxUses)) {
                return false;
            }
            if (!future.isDone()) {
                return streams < maxStreams;
            }
            if (!future.isSuccess() || !future.channel().isActive()) {
                return false;
            }
            if (codec == null) {
                codec = future.channel().pipeline().get(Http2FrameCodec.class);
            }
            int peer = codec == null ? Integer.MAX_VALUE : codec.connection().local().maxActiveStreams();
            return streams < Math.min(maxStreams, peer);
        }

        boolean spent() {
            return maxUses > 0 && uses >= maxUses;
        }
    }

    Http2Pool(EventLoop loop, UpstreamPool pool) {
        this.loop = loop;
        this.pool = pool;
    }

    /** A stream to write one request on; its future completes on this pool's event loop. */
    Future<Channel> acquire(UpstreamPool.Key key, ClusterConfig cluster, CircuitBreaker breaker) {
        Promise<Channel> promise = loop.newPromise();
        take(key, cluster, breaker, promise, true);
        return promise;
    }

    /** A connection reached max_connection_duration: it takes no new streams (the pool closes it gracefully). */
    void retire(UpstreamPool.Key key, Channel channel) {
        List<Connection> list = connections.get(key);
        if (list != null) {
            for (Connection connection : list) {
                if (connection.future.channel() == channel) {
                    connection.retired = true;
                }
            }
        }
    }

    private void take(UpstreamPool.Key key, ClusterConfig cluster, CircuitBreaker breaker, Promise<Channel> promise,
                      boolean first) {
        Connection connection = withFreeStream(key);
        if (connection == null) {
            if (breaker != null && !breaker.tryConnection()) {
                pool.waitForPlace(breaker, promise, () -> loop.execute(() -> take(key, cluster, breaker, promise, false)),
                        first);
                return;
            }
            connection = open(key, cluster, breaker);
        }
        connection.streams++;
        connection.uses++;
        Connection chosen = connection;
        connection.future.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                openStream(key, chosen, breaker, promise);
            } else {
                chosen.streams--;
                promise.setFailure(f.cause());
            }
        });
    }

    private Connection withFreeStream(UpstreamPool.Key key) {
        List<Connection> list = connections.get(key);
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i).takesStream()) {
                    return list.get(i);
                }
            }
        }
        return null;
    }

    private Connection open(UpstreamPool.Key key, ClusterConfig cluster, CircuitBreaker breaker) {
        ChannelFuture future = pool.connect(key, cluster, breaker, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(Http2Codecs.upstream(),
                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
            }
        });
        Connection connection = new Connection(future, cluster.limits());
        List<Connection> list = connections.computeIfAbsent(key, k -> new ArrayList<>());
        list.add(connection);
        future.channel().closeFuture().addListener(f -> list.remove(connection));
        future.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                MaxConnectionDuration.start(f.channel(), cluster,
                        () -> pool.expired(key, f.channel(), cluster.name()));
            }
        });
        return connection;
    }

    private void openStream(UpstreamPool.Key key, Connection connection, CircuitBreaker breaker, Promise<Channel> promise) {
        new Http2StreamChannelBootstrap(connection.future.channel()).handler(STREAM).open()
                .addListener((Future<Http2StreamChannel> s) -> {
                    if (!s.isSuccess()) {
                        streamDone(connection, breaker);
                        promise.setFailure(s.cause());
                        return;
                    }
                    s.getNow().closeFuture().addListener(f -> streamDone(connection, breaker));
                    if (!promise.trySuccess(s.getNow())) {
                        s.getNow().close();
                    }
                });
    }

    /**
     * A stream ended. A spent connection closes with its last stream; so does one whose cluster has requests
     * waiting for a place (the place goes to them); otherwise a waiter is told a stream is free.
     */
    private void streamDone(Connection connection, CircuitBreaker breaker) {
        connection.streams--;
        boolean waiting = breaker != null && breaker.hasWaiters();
        if (connection.streams == 0 && (connection.spent() || waiting)) {
            connection.future.channel().close();
        } else if (waiting) {
            breaker.placeFreed();
        }
    }

    private static final ChannelHandler STREAM = new StreamInitializer();

    /** Every stream channel: HTTP objects both ways, and the exchange's handler. */
    @ChannelHandler.Sharable
    private static final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
        @Override
        protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast(StreamErrorReset.INSTANCE, new Http2StreamFrameToHttpObjectCodec(false), new UpstreamHandler());
        }
    }
}
