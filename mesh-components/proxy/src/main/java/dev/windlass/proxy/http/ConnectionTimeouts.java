package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.config.HttpTimeouts;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;

import java.nio.charset.StandardCharsets;

/**
 * The timeouts of a downstream HTTP connection as a whole, on one {@link DeadlineTimer}: Envoy's
 * {@code request_headers_timeout} (HTTP/1.1: from the first byte of a request to its decoded head, a slowloris
 * client trickling its head gets 408 and the connection closes; h2c: an unfinished frame header or header block,
 * GOAWAY and close; the app never sees the request) and
 * {@code idle_timeout} (no request in flight: HTTP/1.1 is closed, h2c says GOAWAY first). It sits in front of the
 * protocol sniffer, so it sees a connection's first bytes before anyone knows its protocol; on h2c it learns of
 * streams from the codec. A request's own timeouts are its {@link StreamTimeouts}.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
    static final String NAME = "timeouts";
    /** The 408 as Envoy words it, written under the HTTP codec (there may be none yet): the connection closes. */
    private static final ByteBuf HEADER_TIMEOUT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer((
            "HTTP/1.1 408 Request Timeout\r\ncontent-length: 22\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n"
                    + "request header timeout").getBytes(StandardCharsets.US_ASCII))).asReadOnly();

    private final HttpTimeouts config;
    private final ProxyStats stats;
    private ChannelHandlerContext channel;
    private DeadlineTimer timer;
    private boolean http2;
    /** HTTP/1.1's codec, once the connection is known to speak it. */
    private Http1ServerCodec http1;
    /** A WebSocket tunnel now: nothing here is timed any more. */
    private boolean tunnel;
    /** HTTP/1.1: a request is in flight; h2c: a stream is open. */
    private boolean inFlight;
    /**
     * The first bytes of a request head were read at {@link #headStart} and the head is not complete (HTTP/1.1: not
     * decoded; h2c: the frame or header block that began at {@link #timedUnit} of the connection's bytes).
     */
    private boolean headStarted;
    private long headStart;
    private long timedUnit;
    private long idleSince;
    /** Where the HTTP/2 frames are, until the connection is known to speak HTTP/1.1; null without a header timeout. */
    private Http2HeaderBlocks frames;

    ConnectionTimeouts(HttpTimeouts config, ProxyStats stats) {
        this.config = config;
        this.stats = stats;
        this.frames = config.requestHeadersNanos() > 0 ? new Http2HeaderBlocks() : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx;
        timer = new DeadlineTimer(ctx.executor(), this::expired);
        idleSince = System.nanoTime();
        arm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && config.requestHeadersNanos() > 0) {
            // Until the protocol is known, the bytes are followed as HTTP/2 frames too: they are gone once passed on.
            boolean http2HeadOnItsWay = frames != null && frames.scan(bytes);
            if (http2) {
                headOnItsWay(http2HeadOnItsWay && frames.unitStart() == timedUnit, http2HeadOnItsWay);
            } else if (!inFlight && bytes.isReadable()) {
                headOnItsWay(true, true);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** {@code sameHead}: what is on its way is the head already timed, if any (h2c: another frame may have begun). */
    private void headOnItsWay(boolean sameHead, boolean onItsWay) {
        if (!onItsWay) {
            headStarted = false;
        } else if (!headStarted || !sameHead) {
            headStarted = true;
            headStart = System.nanoTime();
            timedUnit = frames == null ? 0 : frames.unitStart();
            arm();
        }
    }

    /** The connection speaks HTTP/1.1, decoded by {@code codec}: its bytes are no frames. */
    void http1(Http1ServerCodec codec) {
        frames = null;
        http1 = codec;
    }

    /** HTTP/1.1: a request head was decoded; its own timeouts run from here. */
    void requestStarted() {
        inFlight = true;
        headStarted = false;
    }

    /**
     * HTTP/1.1: the request in flight is done; the connection is idle until the next one's first byte, unless that
     * came already, behind it (pipelined), and waits in the decoder: its head is timed from now.
     */
    void requestEnded() {
        inFlight = false;
        idleSince = System.nanoTime();
        if (http1 != null && config.requestHeadersNanos() > 0 && http1.holdsUndecodedBytes()) {
            headStarted = true;
            headStart = idleSince;
        }
        arm();
    }

    /**
     * The connection speaks h2c: the header timeout runs while a frame header or a header block is incomplete (the
     * stream it opens is unknown until then, so it ends the connection), the idle timeout follows its open streams.
     */
    void http2(Http2Connection connection) {
        http2 = true;
        headStarted = frames != null && frames.headOnItsWay();
        timedUnit = frames == null ? 0 : frames.unitStart();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                inFlight = true;
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0) {
                    requestEnded();
                }
            }
        });
        arm();
    }

    /** The connection became a tunnel (a WebSocket): it is no longer HTTP, and no timeout of these applies. */
    void tunnelled() {
        tunnel = true;
        timer.cancel();
        channel.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel();
        ctx.fireChannelInactive();
    }

    private void arm() {
        if (tunnel) {
            return;
        }
        if (headStarted) {
            timer.fireBy(headStart + config.requestHeadersNanos());
        } else if (!inFlight && config.connectionIdleNanos() > 0) {
            timer.fireBy(idleSince + config.connectionIdleNanos());
        }
    }

    private void expired() {
        if (!channel.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (headStarted && now - headStart >= config.requestHeadersNanos()) {
            headerTimedOut();
        } else if (!headStarted && !inFlight && config.connectionIdleNanos() > 0
                && now - idleSince >= config.connectionIdleNanos()) {
            idleTimedOut();
        } else {
            arm();
        }
    }

    private void headerTimedOut() {
        stats.increment(Stat.DOWNSTREAM_RQ_HEADER_TIMEOUT);
        Log.debug("downstream " + channel.channel().remoteAddress() + ": request header timeout, closed");
        headStarted = false;
        inFlight = true; // nothing more is timed: the connection is closing
        if (http2) {
            goAway();
        } else {
            channel.writeAndFlush(HEADER_TIMEOUT.duplicate()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void idleTimedOut() {
        stats.increment(Stat.DOWNSTREAM_CX_IDLE_TIMEOUT);
        inFlight = true;
        if (http2) {
            goAway();
        } else {
            channel.close();
        }
    }

    private void goAway() {
        channel.channel().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
