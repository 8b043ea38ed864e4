package dev.windlass.proxy.http;

import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.config.ClusterConfig;
import dev.windlass.proxy.config.RouteAction;
import dev.windlass.proxy.config.RouteRule;
import dev.windlass.proxy.config.WeightedClusters;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.net.UpstreamTarget;
import dev.windlass.proxy.tls.MeshPeer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

import java.util.concurrent.ScheduledFuture;

/**
 * One request and its response as they pass through: where the exchange stands ({@link Phase}), what telemetry
 * needs, and what a retry needs (the prepared request head, the replay buffer, the attempts so far).
 */
final class Exchange {
    /**
     * Where the exchange stands on the response side. The request side streams independently and is done when
     * {@link #requestComplete} is set.
     */
    enum Phase {
        /** Routed, not yet sent anywhere (the route and policies are being applied). */
        ROUTED,
        /** Held by an injected fault delay. */
        DELAYED,
        /** An upstream connection is being acquired for the current attempt. */
        CONNECTING,
        /** The request is going to the upstream; its response has not started. */
        AWAITING_RESPONSE,
        /** Waiting out the backoff before the next attempt. */
        BACKOFF,
        /** The upstream's response is being relayed downstream. */
        RESPONDING,
        /** The proxy answered (or is answering) itself; the rest of the request body is dropped. */
        LOCAL,
        /** Response complete. */
        DONE
    }

    final long startNanos = System.nanoTime();
    final String method;
    final String path;
    final String authority;
    final String protocol;
    final String userAgent;
    final String forwardedFor;
    final boolean headRequest;
    Phase phase = Phase.ROUTED;
    String requestId;
    String sourceWorkload;
    String sourceNamespace;
    /** Inbound over mesh mTLS: the client, from its certificate; null otherwise. */
    MeshPeer peer;
    String destinationWorkload;
    String destinationNamespace;
    String destinationService;
    String cluster = "-";
    String flags = "-";
    RouteRule rule;
    RouteAction.Forward forward;
    WeightedClusters.Entry clusterEntry;
    boolean attemptCountHeader;
    /** The request head as it leaves the proxy, kept to send again on a retry and to mirrors. */
    HttpRequest prepared;
    final ReplayBuffer replay = new ReplayBuffer();
    /** The allowed CORS origin of this request, to answer with; null when not a CORS request or not allowed. */
    String corsOrigin;
    UpstreamTarget target;
    /** The target counts as an active request in its balancer until released. */
    private boolean targetActive;
    /** The circuit breaker whose request place this attempt holds, or null. */
    private CircuitBreaker breaker;
    /** The circuit breaker of the cluster the last attempt was admitted to. */
    private CircuitBreaker clusterBreaker;
    /** The breaker whose max_retries place the retry (attempt {@code retryFor}) holds, or null. */
    private CircuitBreaker retryBreaker;
    private int retryFor;
    Channel upstream;
    UpstreamPool.Key poolKey;
    int attempts;
    /** Whether the route hashes this request (its hash header is present), and the hash. */
    boolean hashed;
    long hash;
    /** The Set-Cookie of a hash cookie the proxy generated for this request, or null. */
    String setCookie;
    /** The endpoint of the previous attempts, for Envoy's previous_hosts retry predicate. */
    final java.util.List<java.net.InetSocketAddress> triedHosts = new java.util.ArrayList<>(2);
    ScheduledFuture<?> routeTimer;
    ScheduledFuture<?> tryTimer;
    long requestCompleteNanos;
    long upstreamStartNanos;
    long serviceTimeMillis = -1;
    int status;
    long bytesReceived;
    long bytesSent;
    boolean keepAlive;
    boolean requestComplete;
    /** Some of the request went to the current attempt's upstream. */
    boolean requestSent;
    /** A 1xx response was passed on; the empty end the codec adds after it is not the real end. */
    boolean informational;
    boolean upstreamReusable;
    /** An HTTP/1.1 WebSocket upgrade the listener allows: a dedicated upstream connection, no retry, no mirror. */
    boolean upgrade;
    /** The upstream answered the upgrade 101: the connection is a byte tunnel now, no longer HTTP. */
    boolean upgraded;

    Exchange(HttpRequest request, boolean http2) {
        this.method = request.method().name();
        this.path = request.uri();
        this.authority = request.headers().get(HttpHeaderNames.HOST, "");
        this.protocol = http2 ? "HTTP/2" : request.protocolVersion().text();
        this.userAgent = request.headers().get(HttpHeaderNames.USER_AGENT, "-");
        this.forwardedFor = request.headers().get("x-forwarded-for", "-");
        this.headRequest = HttpMethod.HEAD.equals(request.method());
    }

    boolean responseStarted() {
        return phase == Phase.RESPONDING || phase == Phase.LOCAL || phase == Phase.DONE;
    }

    boolean responseComplete() {
        return phase == Phase.DONE;
    }

    /** The proxy answers this request itself; the source labels come from the request as usual. */
    void answerLocally(String localCluster, LocalReply reply, HttpRequest request, Direction direction, NodeIdentity self) {
        cluster = localCluster;
        requestId = request.headers().get(PeerHeaders.REQUEST_ID);
        if (sourceWorkload == null) {
            HeaderRules.source(this, request.headers(), direction, self);
        }
        status = reply.status();
        addFlag(reply.flags());
    }

    /** Envoy's response flags, comma-separated, "-" when none. */
    void addFlag(String flag) {
        if (flag == null || flag.equals("-") || flags.contains(flag)) {
            return;
        }
        flags = flags.equals("-") ? flag : flags + "," + flag;
    }

    /**
     * This attempt goes to {@code chosen}: records where (for metrics: the service from Istio's cluster name, the
     * workload from the endpoint's metadata) and returns whether the upstream connection speaks HTTP/2.
     */
    boolean sendTo(UpstreamTarget chosen, boolean fromHttp2) {
        target = chosen;
        targetActive = true;
        ClusterConfig config = chosen.cluster();
        cluster = config.name();
        destinationService = config.serviceHost() != null ? config.serviceHost() : hostOnly(authority);
        if (chosen.endpoint() != null) {
            destinationWorkload = chosen.endpoint().workload();
            destinationNamespace = chosen.endpoint().namespace();
        }
        // An upgrade is an HTTP/1.1 mechanism: it goes as HTTP/1.1 whatever the cluster speaks (no extended CONNECT).
        boolean toHttp2 = !upgrade && (config.protocol() == ClusterConfig.Protocol.HTTP2
                || (config.protocol() == ClusterConfig.Protocol.DOWNSTREAM && fromHttp2));
        // Auto SNI takes the host the request leaves with (after an authority rewrite), as Envoy's does.
        poolKey = UpstreamPool.Key.of(chosen, toHttp2,
                prepared == null ? authority : prepared.headers().get(HttpHeaderNames.HOST, authority));
        return toHttp2;
    }

    static String hostOnly(String authority) {
        int colon = authority.lastIndexOf(':');
        return colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
    }

    double durationMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    String upstreamHost() {
        return target == null ? "-" : target.address().getHostString() + ":" + target.address().getPort();
    }

    /** The attempt holds one of the cluster's max_requests places until its target is released. */
    void admitted(CircuitBreaker admittedBy) {
        breaker = admittedBy;
        clusterBreaker = admittedBy;
    }

    /**
     * A max_retries place for the next attempt, held (as Envoy holds it) until that attempt's outcome is judged or
     * the exchange ends: the place of the previous retry is given back first. False when the cluster has none.
     */
    boolean reserveRetry() {
        if (clusterBreaker == null) {
            return true;
        }
        releaseRetry();
        if (!clusterBreaker.tryRetry()) {
            return false;
        }
        retryBreaker = clusterBreaker;
        retryFor = attempts + 1;
        return true;
    }

    void releaseRetry() {
        if (retryBreaker != null) {
            retryBreaker.retryDone();
            retryBreaker = null;
        }
    }

    /** Ends the target's active request in its balancer, and its circuit-breaker place, once. */
    void releaseTarget() {
        if (breaker != null) {
            breaker.requestDone();
            breaker = null;
        }
        if (attempts >= retryFor) {
            releaseRetry();
        }
        if (targetActive) {
            targetActive = false;
            target.release();
        }
    }

    /** Body parts go straight on when the proxy answers itself (dropped) or an attempt is connected. */
    boolean takesBody() {
        return phase == Phase.LOCAL || phase == Phase.DONE || upstream != null;
    }

    /** Everything a finished exchange holds: its timers, the replay buffer, its shares of the target and of retries. */
    void releaseHeld() {
        cancelTimers();
        replay.release();
        releaseTarget();
        releaseRetry();
    }

    void cancelTimers() {
        if (routeTimer != null) {
            routeTimer.cancel(false);
            routeTimer = null;
        }
        cancelTryTimer();
    }

    void cancelTryTimer() {
        if (tryTimer != null) {
            tryTimer.cancel(false);
            tryTimer = null;
        }
    }
}
