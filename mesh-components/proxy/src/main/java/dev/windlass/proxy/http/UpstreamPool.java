package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.net.UpstreamTarget;
import dev.windlass.proxy.tls.ClientTls;
import dev.windlass.proxy.tls.UpstreamTlsHandshake;
import dev.windlass.proxy.telemetry.ProxyStats.ClusterStat;
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
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Upstream connections of one event loop, so that nothing here is shared between threads: idle HTTP/1.1
 * connections per endpoint (keep-alive, one request at a time each), and one multiplexed h2c connection per
 * endpoint on which every request opens a stream. Every channel it hands out carries an {@link UpstreamHandler}.
 */
final class UpstreamPool {
    static final int MAX_IDLE_PER_KEY = 64;
    /** The failure of an acquisition a circuit breaker refused; no stack, answered 503 UO. */
    static final Exception OVERFLOW = new Exception("circuit breaker overflow", null, false, false) {
    };

    /**
     * Which connections are interchangeable: same endpoint, same source address, same protocol, and the same TLS
     * origination ({@code tls} null: plain text) with the same SNI.
     */
    record Key(InetSocketAddress address, InetSocketAddress source, boolean http2, ClientTls tls, String sni) {
        Key(InetSocketAddress address, InetSocketAddress source, boolean http2) {
            this(address, source, http2, null, null);
        }

        /** The key of a request to {@code authority} over {@code cluster}'s connections. */
        static Key of(UpstreamTarget target, boolean http2, String authority) {
            ClientTls tls = target.cluster().tls();
            return new Key(target.address(), target.source(), http2, tls, tls == null ? null : tls.sni(authority));
        }
    }

    private final EventLoop loop;
    private final ProxyContext ctx;
    private final Map<Key, ArrayDeque<Channel>> idle = new HashMap<>();
    private final Map<Key, ChannelFuture> http2Connections = new HashMap<>();

    UpstreamPool(EventLoop loop, ProxyContext ctx) {
        this.loop = loop;
        this.ctx = ctx;
    }

    /** A channel to write one request on, for a cluster without limits (mirrors). */
    Future<Channel> acquire(Key key) {
        return acquire(key, null);
    }

    /**
     * A channel to write one request on; its future completes on this pool's event loop. With a circuit breaker,
     * an HTTP/1.1 request beyond max_connections waits for a connection of the cluster to close, and one beyond
     * max_pending_requests fails at once with {@link #OVERFLOW}.
     */
    Future<Channel> acquire(Key key, CircuitBreaker breaker) {
        if (key.http2()) {
            return openStream(key, breaker);
        }
        Channel reused = idleChannel(key);
        if (reused != null) {
            return loop.newSucceededFuture(reused);
        }
        Promise<Channel> promise = loop.newPromise();
        if (breaker == null) {
            openHttp1(key, null, promise);
        } else {
            connectOrWait(key, breaker, promise, true);
        }
        return promise;
    }

    private Channel idleChannel(Key key) {
        ArrayDeque<Channel> channels = idle.get(key);
        Channel channel;
        while (channels != null && (channel = channels.pollLast()) != null) {
            if (channel.isActive()) {
                ctx.stats().increment(Stat.UPSTREAM_RQ_REUSED);
                ConnectionState.of(channel).uses++;
                return channel;
            }
        }
        return null;
    }

    private void connectOrWait(Key key, CircuitBreaker breaker, Promise<Channel> promise, boolean first) {
        if (breaker.tryConnection()) {
            openHttp1(key, breaker, promise);
            return;
        }
        Runnable waiter = () -> loop.execute(() -> woken(key, breaker, promise));
        if (!first) {
            breaker.pendAgain(waiter);
            return;
        }
        ctx.stats().increment(Stat.UPSTREAM_CX_OVERFLOW);
        ctx.stats().increment(breaker.cluster(), ClusterStat.UPSTREAM_CX_OVERFLOW);
        if (!breaker.tryPend(waiter)) {
            promise.setFailure(OVERFLOW);
        }
    }

    /** A waiting request's turn: an idle connection of its own endpoint, a new one, or back to waiting. */
    private void woken(Key key, CircuitBreaker breaker, Promise<Channel> promise) {
        Channel reused = idleChannel(key);
        if (reused != null) {
            promise.setSuccess(reused);
        } else {
            connectOrWait(key, breaker, promise, false);
        }
    }

    private void openHttp1(Key key, CircuitBreaker breaker, Promise<Channel> promise) {
        long idleMillis = (breaker == null ? ClusterConfig.Limits.NONE : breaker.limits()).idleTimeoutMillis();
        connect(key, breaker, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                        new HttpClientCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_SIZE, HttpLimits.MAX_CHUNK),
                        new UpstreamHandler());
            }
        }).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                Channel connected = f.channel();
                ConnectionState.of(connected).uses++;
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
    }

    /**
     * Gives an HTTP/1.1 connection back: kept for reuse when the exchange left it clean, closed otherwise, and
     * closed too when it served max_requests_per_connection or requests of its cluster wait for a connection.
     */
    void release(Key key, Channel channel, boolean reusable) {
        if (key.http2()) {
            return;
        }
        ArrayDeque<Channel> channels = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!reusable || !channel.isActive() || channels.size() >= MAX_IDLE_PER_KEY
                || ConnectionState.of(channel).spentOrWanted()) {
            channel.close();
            return;
        }
        channel.config().setAutoRead(true);
        channels.addLast(channel);
    }

    private Future<Channel> openStream(Key key, CircuitBreaker breaker) {
        ChannelFuture connection = http2Connections.get(key);
        if (connection == null || (connection.isDone() && !(connection.isSuccess() && connection.channel().isActive()))) {
            connection = connect(key, breaker, new ChannelInitializer<>() {
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
        ConnectionState state = ConnectionState.of(connection.channel());
        state.uses++;
        if (state.spent()) {
            http2Connections.remove(key, connection); // the next stream opens a new connection; this one drains
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

    /**
     * A new connection, with the cluster's connect timeout; it counts against the breaker's max_connections (the
     * caller took the place) until it closes, and a failed connect is closed so that its place is given back.
     * With TLS origination it is made when the handshake is done: a failed handshake is a failed connect.
     */
    private ChannelFuture connect(Key key, CircuitBreaker breaker, ChannelHandler initializer) {
        ctx.stats().increment(Stat.UPSTREAM_CX_TOTAL);
        ClusterConfig.Limits limits = breaker == null ? ClusterConfig.Limits.NONE : breaker.limits();
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(ctx.transport().socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, limits.connectTimeoutMillis())
                .attr(ConnectionState.KEY, new ConnectionState(breaker, limits.maxRequestsPerConnection()))
                .handler(key.tls() == null ? initializer : UpstreamTlsHandshake.first(key.tls(), key.sni(),
                        key.address().getPort(), initializer));
        ChannelFuture connected = key.source() == null ? bootstrap.connect(key.address())
                : bootstrap.connect(key.address(), key.source());
        ChannelFuture future = key.tls() == null ? connected : UpstreamTlsHandshake.completed(connected);
        if (breaker != null && !key.http2()) {
            future.channel().closeFuture().addListener(f -> breaker.connectionClosed());
        }
        future.addListener(f -> {
            if (!f.isSuccess()) {
                ctx.stats().increment(Stat.UPSTREAM_CX_CONNECT_FAIL);
                future.channel().close();
            }
        });
        return future;
    }

    /** What a connection has served, against its cluster's max_requests_per_connection (0: unlimited). */
    private static final class ConnectionState {
        static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf("windlass.upstream.state");
        private static final ConnectionState UNLIMITED = new ConnectionState(null, 0);
        final CircuitBreaker breaker;
        final int maxUses;
        int uses;

        ConnectionState(CircuitBreaker breaker, int maxUses) {
            this.breaker = breaker;
            this.maxUses = maxUses;
        }

        static ConnectionState of(Channel channel) {
            ConnectionState state = channel.attr(KEY).get();
            return state == null ? UNLIMITED : state;
        }

        boolean spent() {
            return maxUses > 0 && uses >= maxUses;
        }

        /** Spent, or its place is better given to a request of the cluster waiting for a connection. */
        boolean spentOrWanted() {
            return spent() || (breaker != null && breaker.hasWaiters());
        }
    }
}
