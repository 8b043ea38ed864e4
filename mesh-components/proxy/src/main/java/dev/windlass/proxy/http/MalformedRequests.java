package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.ProxyContext;
import dev.windlass.proxy.telemetry.ProxyStats.Refusal;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.InvalidChunkExtensionException;
import io.netty.handler.codec.http.InvalidChunkTerminationException;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.TimeUnit;

/**
 * A request the proxy refuses: the decoder failed on its head or body, or a rule of {@link RequestHeadRules}
 * failed. The proxy answers with the reason's status (400, 414, 431, 501, 505), counts it by reason, closes that
 * one connection (its framing may be in doubt) and carries on; the decoder has already stopped reading.
 */
final class MalformedRequests {
    private MalformedRequests() {
    }

    static void reject(ProxyContext ctx, ChannelHandlerContext channel, HttpObject refused) {
        Refusal refusal = reason(refused);
        count(ctx, refusal);
        Log.debug("refusing a request from " + channel.channel().remoteAddress() + " with " + refusal.status() + " ("
                + refusal.statName() + "): " + refused.decoderResult().cause());
        channel.writeAndFlush(new LocalReply(refusal.status(), "", "-").toResponse(true)).addListener(f -> closeGently(channel));
    }

    /**
     * A body part broke the request's framing (chunk size, extension, data, trailers): the attempt is dropped
     * unfinished; the client gets the refusal if no response has started, else a reset.
     */
    static void refuseBody(ProxyContext ctx, DownstreamHandler downstream, HttpObject part) {
        Refusal refusal = reason(part);
        ReferenceCountUtil.release(part);
        count(ctx, refusal);
        Log.debug("refusing a request body from " + downstream.channel().channel().remoteAddress() + ": "
                + refusal.statName());
        Exchange ex = downstream.current();
        if (ex == null) {
            downstream.channel().close();
        } else if (ex.phase == Exchange.Phase.RESPONDING || ex.phase == Exchange.Phase.DONE) {
            downstream.resetAfterResponseStarted(ex);
        } else {
            downstream.forwarder().abandonAttempt(ex);
            downstream.failBeforeResponse(ex, new LocalReply(refusal.status(), "", "DPE"));
        }
    }

    static void count(ProxyContext ctx, Refusal refusal) {
        ctx.stats().increment(refusal);
        switch (refusal.status()) {
            case 431 -> ctx.stats().increment(Stat.DOWNSTREAM_RQ_431);
            case 414 -> ctx.stats().increment(Stat.DOWNSTREAM_RQ_414);
            case 400 -> ctx.stats().increment(Stat.DOWNSTREAM_RQ_400);
            default -> {
            }
        }
    }

    /** Netty says what failed by exception type where it has one, else only in its message. */
    static Refusal reason(HttpObject refused) {
        Throwable cause = refused.decoderResult().cause();
        String message = String.valueOf(cause.getMessage());
        return switch (cause) {
            case StrictRequestDecoder.RefusedRequestException ours -> ours.refusal;
            case TooLongHttpHeaderException ignored -> Refusal.HEADERS_TOO_LARGE;
            case TooLongHttpLineException ignored -> Refusal.LINE_TOO_LONG;
            case InvalidLineSeparatorException ignored -> Refusal.BARE_LINE_FEED;
            case InvalidChunkExtensionException ignored -> Refusal.CHUNK_EXTENSION;
            case InvalidChunkTerminationException ignored -> Refusal.CHUNK_DATA;
            case ContentLengthNotAllowedException ignored -> Refusal.TRANSFER_ENCODING;
            case TransferEncodingNotAllowedException ignored -> Refusal.TRANSFER_ENCODING;
            case NumberFormatException ignored -> Refusal.CHUNK_SIZE;
            default -> refused instanceof HttpRequest ? headReason(message) : Refusal.TRAILER;
        };
    }

    private static Refusal headReason(String message) {
        if (message.contains("Content-Length")) {
            return Refusal.CONTENT_LENGTH;
        }
        if (message.contains("chunked") || message.contains("transfer coding")) {
            return Refusal.TRANSFER_ENCODING;
        }
        if (message.startsWith("Validation failed for header")) {
            return Refusal.HEADER_VALUE;
        }
        if (message.contains("header") || message.contains("colon") || message.contains("separator")) {
            return Refusal.HEADER_SYNTAX;
        }
        return Refusal.REQUEST_LINE;
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
