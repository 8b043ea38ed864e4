package dev.windlass.proxy.http;

import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;

/**
 * The stream-state rules for HEADERS that Netty's decoder does not apply on a downstream connection:
 * <ul>
 *   <li>HEADERS on a stream the client already ended (half-closed remote) is a stream error STREAM_CLOSED
 *       (RFC 9113 §5.1), whatever the block holds; Netty would judge the block as trailers first;</li>
 *   <li>HEADERS on a stream id not above the last one the client opened, no longer open, is a connection error
 *       PROTOCOL_ERROR (§5.1.1: ids only grow; a lower one names a closed stream); Netty answers it with
 *       RST_STREAM only. Frames that cross the proxy's own RST_STREAM are let through to Netty, which ignores
 *       them (§5.1: frames after a RST_STREAM the endpoint sent are ignored).</li>
 * </ul>
 * It also counts what the codec answers: connections closed with GOAWAY ENHANCE_YOUR_CALM (a flood of RST_STREAM,
 * empty DATA or small CONTINUATION frames; CVE-2023-44487's rapid reset is the first) or another error code, and
 * streams reset for a stream error.
 * <p>
 * Netty's only hook between its frame reader (HPACK already decoded, so the table stays in step) and its stream
 * state machine is the frame logger, so this is one; it logs nothing. One per connection, used on its event loop.
 */
final class Http2StreamStateGuard extends Http2FrameLogger {
    /** Streams the proxy reset most recently; a client's frames may cross the RST_STREAM for a short while. */
    private static final int REMEMBERED_RESETS = 64;

    private final ProxyStats stats;
    private final int[] resetByUs = new int[REMEMBERED_RESETS];
    private int nextReset;
    private Http2Connection connection;

    Http2StreamStateGuard(ProxyStats stats) {
        super(LogLevel.TRACE);
        this.stats = stats;
    }

    /** The connection whose state is checked; set once the codec is built. */
    void guard(Http2Connection connection) {
        this.connection = connection;
    }

    /** Netty's own frame logging stays off whatever the log level: the frames this does not check pass by. */
    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                           int padding, boolean endStream) {
        if (direction == Direction.INBOUND) {
            check(streamId);
        }
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                           int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
        if (direction == Direction.INBOUND) {
            check(streamId);
        }
    }

    @Override
    public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
        if (direction == Direction.OUTBOUND) {
            resetByUs[nextReset] = streamId;
            nextReset = (nextReset + 1) % REMEMBERED_RESETS;
            if (errorCode != Http2Error.NO_ERROR.code() && errorCode != Http2Error.CANCEL.code()) {
                stats.increment(Stat.DOWNSTREAM_RQ_H2_STREAM_ERROR);
            }
        }
    }

    @Override
    public void logGoAway(Direction direction, ChannelHandlerContext ctx, int lastStreamId, long errorCode,
                          ByteBuf debugData) {
        if (direction != Direction.OUTBOUND || errorCode == Http2Error.NO_ERROR.code()) {
            return;
        }
        stats.increment(errorCode == Http2Error.ENHANCE_YOUR_CALM.code()
                ? Stat.DOWNSTREAM_CX_H2_FLOOD : Stat.DOWNSTREAM_CX_H2_PROTOCOL_ERROR);
    }

    private void check(int streamId) {
        Http2Stream stream = connection.stream(streamId);
        if (stream != null) {
            if (stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE) {
                throw sneaky(Http2Exception.streamError(streamId, Http2Error.STREAM_CLOSED,
                        "HEADERS on stream %d after its END_STREAM", streamId));
            }
            return;
        }
        if (streamId <= connection.remote().lastStreamCreated() && !recentlyReset(streamId)) {
            throw sneaky(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR,
                    "HEADERS on stream %d, not above the last stream %d and not open", streamId,
                    connection.remote().lastStreamCreated()));
        }
    }

    private boolean recentlyReset(int streamId) {
        for (int id : resetByUs) {
            if (id == streamId) {
                return true;
            }
        }
        return false;
    }

    /**
     * Throws a checked Http2Exception through the logger's signature: Netty's frame reader and connection handler
     * catch it as the Http2Exception it is (a stream error leaves the reader usable; a wrapped one would not).
     */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable error) throws E {
        throw (E) error;
    }
}
