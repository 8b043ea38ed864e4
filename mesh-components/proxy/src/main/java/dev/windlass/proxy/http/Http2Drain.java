package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;

import java.util.concurrent.TimeUnit;

/**
 * The end of a downstream h2c connection's pipeline. On drain, the connection says GOAWAY and closes once its
 * streams in flight are done. A connection error reaches here as the codec answers it with GOAWAY; it is the
 * client's, so it is logged at debug (and counted by the codec's {@link Http2StreamStateGuard}), not warned about.
 */
final class Http2Drain extends ChannelInboundHandlerAdapter {

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Not closed here: the codec fires the error before it writes its GOAWAY, and closes after.
        Log.debug("downstream h2c " + ctx.channel().remoteAddress() + ": " + cause);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event != HttpService.DRAIN) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        closeWhenIdle(ctx);
    }

    private static void closeWhenIdle(ChannelHandlerContext ctx) {
        Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
        if (codec == null || codec.connection().numActiveStreams() == 0) {
            ctx.close();
        } else if (ctx.channel().isActive()) {
            ctx.executor().schedule(() -> closeWhenIdle(ctx), 50, TimeUnit.MILLISECONDS);
        }
    }
}
