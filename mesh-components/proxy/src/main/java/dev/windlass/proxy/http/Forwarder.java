package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.OutlierDetector.LocalOrigin;
import dev.windlass.proxy.config.RetryConfig;
import dev.windlass.proxy.net.Flow;
import dev.windlass.proxy.net.UpstreamTarget;
import dev.windlass.proxy.telemetry.ProxyStats.ClusterStat;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.Future;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The router of one downstream connection or stream (Envoy's router filter): sends each attempt of an exchange
 * to an endpoint of its cluster, and decides on every outcome (connect failure, reset, per-try timeout, a
 * response) whether to retry, with Envoy's jittered backoff and previous-hosts avoidance, or to answer. The
 * route timeout runs from the end of the request, across attempts. Everything runs on the connection's event
 * loop; a callback for an exchange that is no longer current or no longer in the expected phase does nothing.
 */
final class Forwarder {
    private static final long BACKOFF_BASE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long BACKOFF_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ProxyContext ctx;
    private final HttpService service;
    private final Flow flow;
    private final DownstreamHandler downstream;
    private final boolean http2;

    Forwarder(ProxyContext ctx, HttpService service, Flow flow, DownstreamHandler downstream, boolean http2) {
        this.ctx = ctx;
        this.service = service;
        this.flow = flow;
        this.downstream = downstream;
        this.http2 = http2;
    }

    /** Sends the next attempt: an endpoint of the chosen cluster (one not tried yet, when the policy asks), a connection. */
    void attempt(Exchange ex) {
        ConfigSnapshot snapshot = ctx.config().current();
        UpstreamTarget target = pickTarget(snapshot, ex);
        if (target == null) {
            downstream.failBeforeResponse(ex, snapshot.cluster(ex.clusterEntry.name()) == null
                    ? LocalReply.NO_CLUSTER : LocalReply.NO_HEALTHY_UPSTREAM);
            return;
        }
        boolean first = ex.attempts == 0;
        ex.attempts++;
        boolean toHttp2 = ex.sendTo(target, http2);
        if (first) {
            RequestHead.prepare(ex, flow, ctx.options().identity(), http2, toHttp2);
        }
        ex.triedHosts.add(target.address());
        ex.phase = Exchange.Phase.CONNECTING;
        ctx.stats().increment(ex.cluster, ClusterStat.UPSTREAM_RQ_TOTAL);
        CircuitBreaker breaker = service.breaker(target.cluster());
        if (!breaker.tryRequest()) {
            releaseTarget(ex);
            overflow(ex);
            return;
        }
        ex.admitted(breaker);
        Future<Channel> connection = ex.upgrade
                ? new WebSocketTunnel(ctx, flow, downstream, ex).connect(service.pool(loop()), breaker)
                : service.pool(loop()).acquire(ex.poolKey, target.cluster(), breaker);
        connection.addListener((Future<Channel> f) -> connected(ex, f));
    }

    /** A circuit breaker tripped: 503 UO at once, counted as Envoy counts it. */
    private void overflow(Exchange ex) {
        ctx.stats().increment(Stat.UPSTREAM_RQ_PENDING_OVERFLOW);
        ctx.stats().increment(ex.cluster, ClusterStat.UPSTREAM_RQ_PENDING_OVERFLOW);
        downstream.failBeforeResponse(ex, LocalReply.OVERFLOW);
    }

    private UpstreamTarget pickTarget(ConfigSnapshot snapshot, Exchange ex) {
        RetryConfig retry = ex.forward.retry();
        int tries = ex.attempts > 0 && retry.avoidPreviousHosts() ? retry.hostSelectionAttempts() : 1;
        UpstreamTarget target = null;
        for (int i = 0; i < tries; i++) {
            if (target != null) {
                target.release();
            }
            target = UpstreamTarget.pick(snapshot, ex.clusterEntry.name(), flow, ctx.options(), ex.hashed, ex.hash);
            if (target == null || !ex.triedHosts.contains(target.address())) {
                break;
            }
        }
        return target;
    }

    private void connected(Exchange ex, Future<Channel> connection) {
        if (!downstream.isCurrent(ex) || ex.phase != Exchange.Phase.CONNECTING) {
            if (connection.isSuccess()) {
                connection.getNow().close();
            }
            return;
        }
        if (connection.cause() == UpstreamPool.OVERFLOW) {
            releaseTarget(ex);
            overflow(ex);
            return;
        }
        if (!connection.isSuccess()) {
            Log.debug("upstream " + ex.poolKey.address() + " of " + ex.cluster + ": " + connection.cause());
            ex.target.failedLocally(LocalOrigin.CONNECT_FAILED);
            releaseTarget(ex);
            if (ex.forward.retry().retriesConnectFailure() && canRetry(ex)) {
                scheduleRetry(ex);
            } else {
                downstream.failBeforeResponse(ex, LocalReply.upstreamReset("UF", "remote connection failure", ex.attempts > 1));
            }
            return;
        }
        Channel upstream = connection.getNow();
        ex.target.connected();
        upstream.pipeline().get(UpstreamHandler.class).bind(downstream.relay());
        ex.upstream = upstream;
        ex.phase = Exchange.Phase.AWAITING_RESPONSE;
        ex.upstreamStartNanos = System.nanoTime();
        ctx.stats().increment(Stat.UPSTREAM_RQ_TOTAL);
        sendHead(ex, upstream);
        if (ex.requestComplete) {
            armTryTimer(ex);
        }
        downstream.streamPendingBody(ex);
        upstream.flush();
    }

    /** The prepared head (a copy after the first attempt: an encoded message is not sent twice), then the replay. */
    private void sendHead(Exchange ex, Channel upstream) {
        HttpRequest head = ex.prepared;
        if (ex.attempts > 1) {
            head = new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), head.headers().copy());
        }
        if (ex.attemptCountHeader) {
            head.headers().set("x-envoy-attempt-count", ex.attempts);
        }
        upstream.write(head, upstream.voidPromise());
        ex.requestSent = true;
        if (ex.attempts > 1) {
            for (HttpContent part : ex.replay.copies()) {
                upstream.write(part, upstream.voidPromise());
            }
        }
    }

    /** The downstream request is complete: the route timeout starts, the attempt's own timer too, mirrors go. */
    void requestCompleted(Exchange ex) {
        ex.requestCompleteNanos = System.nanoTime();
        long timeout = GrpcRequests.timeoutNanos(ex.prepared, ex.forward.timeoutNanos(), ex.forward.grpcTimeoutMaxNanos());
        if (timeout > 0 && ex.routeTimer == null) {
            ex.routeTimer = loop().schedule(() -> onRouteTimeout(ex), timeout, TimeUnit.NANOSECONDS);
        }
        if (ex.phase == Exchange.Phase.AWAITING_RESPONSE) {
            armTryTimer(ex);
        }
        if (!ex.forward.mirrors().isEmpty() && !ex.upgrade) {
            if (ex.replay.replayable()) {
                Mirrors.send(ctx, service, loop(), flow, ex);
            } else {
                ctx.stats().increment(Stat.SHADOW_RQ_SKIPPED);
            }
        }
    }

    private void armTryTimer(Exchange ex) {
        long perTry = ex.forward.retry().perTryTimeoutNanos();
        if (perTry > 0 && ex.tryTimer == null) {
            int attempt = ex.attempts;
            ex.tryTimer = loop().schedule(() -> onTryTimeout(ex, attempt), perTry, TimeUnit.NANOSECONDS);
        }
    }

    /** The first response head of an attempt: retried (true) when the policy says so, else relayed. */
    boolean retriesResponse(Exchange ex, HttpResponse response) {
        int status = response.status().code();
        ex.target.responded(status);
        int grpc = grpcStatus(response);
        if (!ex.forward.retry().retriesStatus(status, grpc)) {
            if (ex.attempts > 1) {
                ctx.stats().increment(Stat.UPSTREAM_RQ_RETRY_SUCCESS);
            }
            return false;
        }
        if (!canRetry(ex)) {
            if (ex.attempts > 1) {
                ex.addFlag("URX");
            }
            return false;
        }
        abandonAttempt(ex);
        scheduleRetry(ex);
        return true;
    }

    private static int grpcStatus(HttpResponse response) {
        String value = response.headers().get("grpc-status");
        if (value == null) {
            return -1;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The upstream went away before its response started: retried as a reset, or answered 503 UC. */
    void upstreamClosedBeforeResponse(Exchange ex) {
        // Envoy's router reports an upstream reset as a local-origin connect failure.
        ex.target.failedLocally(LocalOrigin.CONNECT_FAILED);
        releaseTarget(ex);
        ex.cancelTryTimer();
        if (ex.forward.retry().retriesReset(ex.requestSent) && canRetry(ex)) {
            scheduleRetry(ex);
        } else {
            downstream.failBeforeResponse(ex, LocalReply.upstreamReset("UC", "connection termination", ex.attempts > 1));
        }
    }

    private void onTryTimeout(Exchange ex, int attempt) {
        if (!downstream.isCurrent(ex) || ex.attempts != attempt || ex.phase != Exchange.Phase.AWAITING_RESPONSE) {
            return;
        }
        ex.tryTimer = null;
        ctx.stats().increment(ex.cluster, ClusterStat.UPSTREAM_RQ_PER_TRY_TIMEOUT);
        ex.target.failedLocally(LocalOrigin.TIMEOUT);
        abandonAttempt(ex);
        if (ex.forward.retry().retriesReset(true) && canRetry(ex)) {
            scheduleRetry(ex);
        } else {
            timedOut(ex);
        }
    }

    private void onRouteTimeout(Exchange ex) {
        ex.routeTimer = null;
        if (!downstream.isCurrent(ex) || ex.responseComplete()) {
            return;
        }
        ctx.stats().increment(ex.cluster, ClusterStat.UPSTREAM_RQ_TIMEOUT);
        if (ex.phase == Exchange.Phase.RESPONDING) {
            // The headers are out: Envoy resets the stream, and so do we.
            ex.addFlag("UT");
            downstream.resetAfterResponseStarted(ex);
            return;
        }
        if (ex.phase == Exchange.Phase.LOCAL) {
            return;
        }
        if (ex.phase == Exchange.Phase.AWAITING_RESPONSE) {
            ex.target.failedLocally(LocalOrigin.TIMEOUT);
        }
        abandonAttempt(ex);
        timedOut(ex);
    }

    private void timedOut(Exchange ex) {
        ctx.stats().increment(Stat.UPSTREAM_RQ_TIMEOUT);
        downstream.failBeforeResponse(ex, LocalReply.TIMEOUT);
    }

    /**
     * Envoy retries only while the request can be sent again whole (never a WebSocket upgrade), nothing went
     * downstream, retries remain, and the cluster's max_retries has a place (taken here; a full one counts
     * upstream_rq_retry_overflow). Call it last, once the policy says the outcome is retried.
     */
    private boolean canRetry(Exchange ex) {
        if (ex.upgrade || ex.attempts > ex.forward.retry().numRetries() || !ex.replay.replayable() || ex.responseStarted()) {
            return false;
        }
        if (!ex.reserveRetry()) {
            ctx.stats().increment(Stat.UPSTREAM_RQ_RETRY_OVERFLOW);
            ctx.stats().increment(ex.cluster, ClusterStat.UPSTREAM_RQ_RETRY_OVERFLOW);
            return false;
        }
        return true;
    }

    private void scheduleRetry(Exchange ex) {
        ex.phase = Exchange.Phase.BACKOFF;
        ex.cancelTryTimer();
        ctx.stats().increment(Stat.UPSTREAM_RQ_RETRY);
        ctx.stats().increment(ex.cluster, ClusterStat.UPSTREAM_RQ_RETRY);
        long ceiling = Math.min(BACKOFF_MAX_NANOS, BACKOFF_BASE_NANOS * ((1L << Math.min(ex.attempts, 10)) - 1));
        long delay = ThreadLocalRandom.current().nextLong(Math.max(1, ceiling));
        loop().schedule(() -> {
            if (downstream.isCurrent(ex) && ex.phase == Exchange.Phase.BACKOFF) {
                attempt(ex);
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    /** Drops the current attempt: its connection is closed (its answer, if any, is not wanted) and unbound. */
    void abandonAttempt(Exchange ex) {
        ex.cancelTryTimer();
        Channel upstream = ex.upstream;
        ex.upstream = null;
        if (upstream != null) {
            upstream.pipeline().get(UpstreamHandler.class).unbind();
            upstream.close();
        }
        releaseTarget(ex);
    }

    private static void releaseTarget(Exchange ex) {
        ex.releaseTarget();
    }

    private EventLoop loop() {
        return downstream.eventLoop();
    }
}
