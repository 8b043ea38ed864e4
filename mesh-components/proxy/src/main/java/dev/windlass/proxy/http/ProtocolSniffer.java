package dev.windlass.proxy.http;

import dev.windlass.proxy.Log;
import dev.windlass.proxy.net.Flow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Looks at the first bytes of a connection: the first line of the HTTP/2 connection preface means h2c with prior
 * knowledge (Netty's codec then checks the rest of the preface and answers a corrupt one with GOAWAY
 * PROTOCOL_ERROR); a first line naming an HTTP version is HTTP/1.x, and so is HTTP/0.9's (method and target
 * alone, RFC 1945 §4.1), which the HTTP/1.1 decoder refuses with 400. Any other first line without a version is
 * neither (RFC 9113 §3.4: an invalid preface ends the connection), so the connection is closed without an
 * answer. Then it installs the codec and steps aside, handing over what it read.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE_LINE = constant("PRI * HTTP/2.0\r\n");
    private static final ByteBuf HTTP_VERSION = constant(" HTTP/");

    private final HttpService service;
    private final Flow flow;

    ProtocolSniffer(HttpService service, Flow flow) {
        this.service = service;
        this.flow = flow;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int compared = Math.min(in.readableBytes(), PREFACE_LINE.readableBytes());
        if (ByteBufUtil.equals(in, start, PREFACE_LINE, 0, compared)) {
            if (compared == PREFACE_LINE.readableBytes()) {
                service.installHttp2(ctx.pipeline(), flow);
                ctx.pipeline().remove(this);
            }
            return;
        }
        switch (firstLine(in)) {
            case INCOMPLETE -> {
            }
            case WITHOUT_VERSION -> {
                Log.debug("downstream " + ctx.channel().remoteAddress() + ": neither HTTP/1.x nor the h2 preface, closed");
                in.skipBytes(in.readableBytes());
                ctx.close();
            }
            case HTTP1 -> {
                service.installHttp1(ctx.pipeline(), flow);
                ctx.pipeline().remove(this);
            }
        }
    }

    private static ByteBuf constant(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII))).asReadOnly();
    }

    private enum FirstLine { INCOMPLETE, WITHOUT_VERSION, HTTP1 }

    /**
     * The first line after any empty lines (RFC 9112 §2.2 lets a server skip them). A line longer than the request
     * line limit goes to HTTP/1.1 unread, whose decoder answers it 414.
     */
    private static FirstLine firstLine(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        while (start < end && (in.getByte(start) == '\r' || in.getByte(start) == '\n')) {
            start++;
        }
        int limit = Math.min(end, start + HttpLimits.MAX_INITIAL_LINE);
        int lineEnd = in.indexOf(start, limit, (byte) '\n');
        if (lineEnd < 0) {
            return limit - start < HttpLimits.MAX_INITIAL_LINE ? FirstLine.INCOMPLETE : FirstLine.HTTP1;
        }
        ByteBuf line = in.slice(start, lineEnd - start);
        return ByteBufUtil.indexOf(HTTP_VERSION, line) >= 0 || isHttp09(line) ? FirstLine.HTTP1 : FirstLine.WITHOUT_VERSION;
    }

    /** HTTP/0.9's request line: two words, method and target, separated by one space. */
    private static boolean isHttp09(ByteBuf line) {
        int space = line.indexOf(0, line.writerIndex(), (byte) ' ');
        return space > 0 && space < line.writerIndex() - 1 && line.getByte(space + 1) != '\r'
                && line.indexOf(space + 1, line.writerIndex(), (byte) ' ') < 0;
    }
}
