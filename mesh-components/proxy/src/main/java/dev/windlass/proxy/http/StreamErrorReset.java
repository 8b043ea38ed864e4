package dev.windlass.proxy.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * The first handler of every h2 stream channel. Netty's frame codec hands a stream error (a malformed request, a
 * content-length that the DATA frames contradict, a bad frame on the stream) to the stream's channel instead of
 * answering it; closing the channel alone would say RST_STREAM CANCEL. This answers RST_STREAM with the error's
 * own code (RFC 9113 §5.4.2), then closes the stream, which ends its exchange as a downstream reset.
 */
@ChannelHandler.Sharable
final class StreamErrorReset extends ChannelInboundHandlerAdapter {
    static final StreamErrorReset INSTANCE = new StreamErrorReset();

    private StreamErrorReset() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Http2MultiplexHandler unwraps its Http2FrameStreamException: the stream's channel sees the StreamException.
        if (!(cause instanceof Http2Exception.StreamException error)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(error.error()));
        ctx.close();
    }
}
