package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.concurrent.TimeUnit;

/**
 * A request the decoder refused: too many header bytes (431), too long a request line (414), anything else
 * (400). The proxy answers, closes that one connection, and carries on; the decoder has already stopped
 * buffering.
 */
final class MalformedRequests {
    private MalformedRequests() {
    }

    static void reject(ProxyContext ctx, ChannelHandlerContext channel, HttpRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            ctx.stats().increment(Stat.DOWNSTREAM_RQ_431);
        } else if (cause instanceof TooLongHttpLineException) {
            status = 414;
            ctx.stats().increment(Stat.DOWNSTREAM_RQ_414);
        } else {
            status = 400;
            ctx.stats().increment(Stat.DOWNSTREAM_RQ_400);
        }
        Log.debug("refusing a request from " + channel.channel().remoteAddress() + " with " + status + ": " + cause);
        channel.writeAndFlush(new LocalReply(status, "", "-").toResponse(true)).addListener(f -> closeGently(channel));
    }

    /**
     * Closing with unread request bytes would send a reset that can destroy the response before the client
     * reads it: send FIN, keep discarding input (the decoder drops it) until the client closes, at most 2 s.
     */
    private static void closeGently(ChannelHandlerContext channel) {
        if (channel.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput();
            channel.channel().config().setAutoRead(true);
            channel.executor().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
        } else {
            channel.close();
        }
    }
}
