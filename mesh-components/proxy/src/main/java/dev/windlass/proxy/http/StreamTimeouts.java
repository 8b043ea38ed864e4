package dev.windlass.proxy.http;

import dev.windlass.proxy.config.HttpTimeouts;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.util.concurrent.EventExecutor;

/**
 * A request's own timeouts, Envoy's: {@code request_timeout} (from its head until it is received whole or its
 * response starts) and {@code stream_idle_timeout} (no request or response bytes for that long, the response
 * awaited included). Either answers 408 while nothing was answered, else resets: the HTTP/1.1 connection closes,
 * the h2c stream is reset. One {@link DeadlineTimer} per HTTP/1.1 connection or h2c stream, reused by each request
 * of a connection; activity only stamps the time.
 */
final class StreamTimeouts {
    static final LocalReply STREAM_IDLE = new LocalReply(408, "stream timeout", "SI");
    static final LocalReply REQUEST = new LocalReply(408, "request timeout", "-");

    private final HttpTimeouts config;
    private final ProxyStats stats;
    private final DownstreamHandler downstream;
    /** HTTP/1.1: the connection's header and idle timeouts, told where its requests stand; null on h2c. */
    private final ConnectionTimeouts connection;
    private DeadlineTimer timer;
    private boolean inFlight;
    private boolean requestTimed;
    private long requestDeadline;
    private long lastActivity;

    StreamTimeouts(HttpTimeouts config, ProxyStats stats, DownstreamHandler downstream, ConnectionTimeouts connection) {
        this.config = config;
        this.stats = stats;
        this.downstream = downstream;
        this.connection = connection;
    }

    /** A request head was decoded (and may yet be refused): the header timeout is over. */
    void headDecoded() {
        if (connection != null) {
            connection.requestStarted();
        }
    }

    /** A request head arrived: both timeouts start. */
    void requestStarted(EventExecutor loop) {
        if (config.requestNanos() == 0 && config.streamIdleNanos() == 0) {
            return;
        }
        if (timer == null) {
            timer = new DeadlineTimer(loop, this::expired);
        }
        inFlight = true;
        lastActivity = System.nanoTime();
        requestTimed = config.requestNanos() > 0;
        requestDeadline = lastActivity + config.requestNanos();
        arm();
    }

    /** Bytes of the request or the response went by. */
    void activity() {
        lastActivity = System.nanoTime();
    }

    /** The request arrived whole, or its response started: request_timeout no longer applies. */
    void requestReceived() {
        requestTimed = false;
    }

    void requestEnded() {
        inFlight = false;
        if (connection != null) {
            connection.requestEnded();
        }
    }

    void stop() {
        inFlight = false;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void arm() {
        boolean idleTimed = config.streamIdleNanos() > 0;
        if (!idleTimed && !requestTimed) {
            return;
        }
        long idle = lastActivity + config.streamIdleNanos();
        timer.fireBy(!requestTimed ? idle : !idleTimed || requestDeadline - idle < 0 ? requestDeadline : idle);
    }

    private void expired() {
        if (!inFlight) {
            return;
        }
        long now = System.nanoTime();
        if (requestTimed && now - requestDeadline >= 0) {
            requestTimed = false;
            timedOut(REQUEST, Stat.DOWNSTREAM_RQ_TIMEOUT);
        } else if (config.streamIdleNanos() > 0 && now - lastActivity >= config.streamIdleNanos()) {
            timedOut(STREAM_IDLE, Stat.DOWNSTREAM_RQ_IDLE_TIMEOUT);
        } else {
            arm();
        }
    }

    /** As a route timeout: 408 before any response went out; after, the only honest signal is a reset. */
    private void timedOut(LocalReply reply, Stat stat) {
        Exchange ex = downstream.current();
        if (ex == null || ex.upgraded) {
            return;
        }
        inFlight = false;
        stats.increment(stat);
        if (ex.responseStarted()) {
            ex.addFlag(reply.flags());
            downstream.resetAfterResponseStarted(ex);
            return;
        }
        downstream.forwarder().abandonAttempt(ex);
        downstream.failBeforeResponse(ex, reply);
    }
}
