package dev.windlass.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;

import java.util.concurrent.TimeUnit;

/** On drain, an h2c connection says GOAWAY and closes once its streams in flight are done. */
final class Http2Drain extends ChannelInboundHandlerAdapter {

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
