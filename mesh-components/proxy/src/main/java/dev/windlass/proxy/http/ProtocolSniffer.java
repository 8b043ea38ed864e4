package dev.windlass.proxy.http;

import dev.windlass.proxy.net.Flow;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Looks at the first bytes of a connection: the HTTP/2 connection preface means h2c with prior knowledge,
 * anything else is HTTP/1.1. Then it installs the codec and steps aside, handing over what it read.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpService service;
    private final Flow flow;

    ProtocolSniffer(HttpService service, Flow flow) {
        this.service = service;
        this.flow = flow;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int available = Math.min(in.readableBytes(), PREFACE.length);
        for (int i = 0; i < available; i++) {
            if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
                service.installHttp1(ctx.pipeline(), flow);
                ctx.pipeline().remove(this);
                return;
            }
        }
        if (available == PREFACE.length) {
            service.installHttp2(ctx.pipeline(), flow);
            ctx.pipeline().remove(this);
        }
    }
}
