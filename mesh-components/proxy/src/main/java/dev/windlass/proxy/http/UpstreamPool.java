package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.net.UpstreamSockets;
import dev.windlass.proxy.net.UpstreamTarget;
import dev.windlass.proxy.tls.ClientTls;
import dev.windlass.proxy.tls.UpstreamTlsHandshake;
import dev.windlass.proxy.telemetry.ProxyStats.ClusterStat;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Upstream connections of one event loop, so that nothing here is shared between threads: idle HTTP/1.1
 * connections per endpoint (keep-alive, one request at a time each), and multiplexed h2c connections per endpoint
 * on which every request opens a stream ({@link Http2Pool}). Every channel it hands out carries an
 * {@link UpstreamHandler}.
 */
final class UpstreamPool {
    static final int MAX_IDLE_PER_KEY = 64;
    /** The failure of an acquisition a circuit breaker refused; no stack, answered 503 UO. */
    static final Exception OVERFLOW = new Exception("circuit breaker overflow", null, false, false) {
    };

    /**
     * Which connections are interchangeable: same cluster (whose pool settings they were opened under), same
     * endpoint, same source address, same protocol, and the same TLS origination ({@code tls} null: plain text)
     * with the same SNI.
     */
    record Key(String cluster, InetSocketAddress address, InetSocketAddress source, boolean http2, ClientTls tls,
               String sni) {
        /** The key of a request to {@code authority} over {@code target}'s cluster's connections. */
        static Key of(UpstreamTarget target, boolean http2, String authority) {
            ClientTls tls = target.tls();
            return new Key(target.cluster().name(), target.address(), target.source(), http2, tls,
                    tls == null ? null : tls.sni(authority));
        }

        // Written out: a record's generated equals and hashCode go through method handles, which the sidecar's
        // C1-only JIT never inlines, and a key is hashed twice per request (JFR: 5 % of the proxy's CPU).
        @Override
        public int hashCode() {
            int hash = cluster.hashCode() * 31 + address.hashCode();
            if (source != null) {
                hash = hash * 31 + source.hashCode();
            }
            return http2 ? hash + 1 : hash;
        }

        @Override
        public boolean equals(Object other) {
            return other == this || other instanceof Key key && http2 == key.http2 && cluster.equals(key.cluster)
                    && address.equals(key.address) && Objects.equals(source, key.source) && tls == key.tls
                    && Objects.equals(sni, key.sni);
        }
    }

    private final EventLoop loop;
    private final ProxyContext ctx;
    private final Map<Key, ArrayDeque<Channel>> idle = new HashMap<>();
    private final Http2Pool http2;

    UpstreamPool(EventLoop loop, ProxyContext ctx) {
        this.loop = loop;
        this.ctx = ctx;
        this.http2 = new Http2Pool(loop, this);
    }

    /** A channel to write one request on, without the cluster's circuit breaker (mirrors). */
    Future<Channel> acquire(Key key, ClusterConfig cluster) {
        return acquire(key, cluster, null);
    }

    /**
     * A channel to write one request on; its future completes on this pool's event loop. With a circuit breaker,
     * a request that needs a connection beyond max_connections waits for a connection of the cluster to close, and
     * one beyond max_pending_requests fails at once with {@link #OVERFLOW}.
     */
    Future<Channel> acquire(Key key, ClusterConfig cluster, CircuitBreaker breaker) {
        if (key.http2()) {
            return http2.acquire(key, cluster, breaker);
        }
        Channel reused = idleChannel(key);
        if (reused != null) {
            return loop.newSucceededFuture(reused);
        }
        Promise<Channel> promise = loop.newPromise();
        if (breaker == null) {
            openHttp1(key, cluster, null, promise);
        } else {
            connectOrWait(key, cluster, breaker, promise, true);
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

    private void connectOrWait(Key key, ClusterConfig cluster, CircuitBreaker breaker, Promise<Channel> promise,
                               boolean first) {
        if (breaker.tryConnection()) {
            openHttp1(key, cluster, breaker, promise);
            return;
        }
        waitForPlace(breaker, promise, () -> loop.execute(() -> woken(key, cluster, breaker, promise)), first);
    }

    /**
     * A request that found max_connections reached waits for a place ({@code waiter} runs when one frees), counted
     * as a connection overflow the first time; beyond max_pending_requests it fails with {@link #OVERFLOW}. A woken
     * request that found no place after all waits again.
     */
    void waitForPlace(CircuitBreaker breaker, Promise<Channel> promise, Runnable waiter, boolean first) {
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
    private void woken(Key key, ClusterConfig cluster, CircuitBreaker breaker, Promise<Channel> promise) {
        Channel reused = idleChannel(key);
        if (reused != null) {
            promise.setSuccess(reused);
        } else {
            connectOrWait(key, cluster, breaker, promise, false);
        }
    }

    private void openHttp1(Key key, ClusterConfig cluster, CircuitBreaker breaker, Promise<Channel> promise) {
        long idleMillis = cluster.limits().idleTimeoutMillis();
        connect(key, cluster, breaker, new ChannelInitializer<>() {
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
                MaxConnectionDuration.start(connected, cluster, () -> expired(key, connected, cluster.name()));
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

    /**
     * A new connection, with the cluster's connect timeout; it counts against the breaker's max_connections (the
     * caller took the place) until it closes, and a failed connect is closed so that its place is given back.
     * With TLS origination it is made when the handshake is done: a failed handshake is a failed connect.
     */
    ChannelFuture connect(Key key, ClusterConfig cluster, CircuitBreaker breaker, ChannelHandler initializer) {
        ctx.stats().increment(Stat.UPSTREAM_CX_TOTAL);
        Bootstrap bootstrap = UpstreamSockets.configure(new Bootstrap(), ctx.transport(), cluster)
                .group(loop).channel(ctx.transport().socketChannel())
                .attr(ConnectionState.KEY, new ConnectionState(breaker, cluster.limits().maxRequestsPerConnection()))
                .handler(key.tls() == null ? initializer : UpstreamTlsHandshake.first(key.tls(), key.sni(),
                        key.address().getPort(), initializer));
        ChannelFuture connected = key.source() == null ? bootstrap.connect(key.address())
                : bootstrap.connect(key.address(), key.source());
        ChannelFuture future = key.tls() == null ? connected : UpstreamTlsHandshake.completed(connected);
        if (breaker != null) {
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

    /**
     * A connection reached its cluster's max_connection_duration: counted, and taken out of use. An idle HTTP/1.1
     * one closes now, a busy one when its exchange releases it; an h2c one takes no new streams and closes with a
     * GOAWAY once its open streams end (Netty's graceful close).
     */
    void expired(Key key, Channel channel, String cluster) {
        if (!channel.isActive()) {
            return;
        }
        ctx.stats().increment(Stat.UPSTREAM_CX_MAX_DURATION_REACHED);
        ctx.stats().increment(cluster, ClusterStat.UPSTREAM_CX_MAX_DURATION_REACHED);
        ConnectionState.of(channel).expired = true;
        if (key.http2()) {
            http2.retire(key, channel);
            channel.close();
            return;
        }
        ArrayDeque<Channel> channels = idle.get(key);
        if (channels != null && channels.remove(channel)) {
            channel.close();
        }
    }

    /** What a connection has served, against its cluster's max_requests_per_connection (0: unlimited). */
    private static final class ConnectionState {
        static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf("windlass.upstream.state");
        private static final ConnectionState UNLIMITED = new ConnectionState(null, 0);
        final CircuitBreaker breaker;
        final int maxUses;
        int uses;
        /** Past max_connection_duration: no further requests. */
        boolean expired;

        ConnectionState(CircuitBreaker breaker, int maxUses) {
            this.breaker = breaker;
            this.maxUses = maxUses;
        }

        static ConnectionState of(Channel channel) {
            ConnectionState state = channel.attr(KEY).get();
            return state == null ? UNLIMITED : state;
        }

        boolean spent() {
            return expired || (maxUses > 0 && uses >= maxUses);
        }

        /** Spent, or its place is better given to a request of the cluster waiting for a connection. */
        boolean spentOrWanted() {
            return spent() || (breaker != null && breaker.hasWaiters());
        }
    }
}
