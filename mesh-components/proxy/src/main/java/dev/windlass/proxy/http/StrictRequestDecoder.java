package dev.windlass.proxy.http;

import dev.windlass.proxy.telemetry.ProxyStats.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.function.Consumer;

/**
 * Netty's request decoder in its strict modes (CRLF only, RFC 9112 Transfer-Encoding, one Content-Length), plus
 * what it leaves to its user: obs-fold (Netty joins folded lines, RFC 9112 5.2 wants a 400), the Host rules and
 * the request-target forms ({@link RequestHeadRules}). A refused request comes out as a failed HttpRequest;
 * after a refusal the connection's remaining bytes are dropped unread, as Netty does after its own failures,
 * so nothing behind a refused request (a smuggled one) is ever decoded.
 */
final class StrictRequestDecoder extends HttpRequestDecoder implements ByteProcessor {
    private static final int SKIPPING = 0;
    private static final int REQUEST_LINE = 1;
    private static final int LINE_START = 2;
    private static final int IN_LINE = 3;

    private final Consumer<HttpMethod> decodedMethods;
    private boolean refused;
    private int hostLines;
    private int transferEncodingLines;
    /** The obs-fold scan of the current head: its state, whether it is still in the head, bytes already scanned. */
    private int scan = SKIPPING;
    private boolean inHead = true;
    private boolean headerLineSeen;
    private boolean folded;
    private int scanned;

    StrictRequestDecoder(HttpDecoderConfig config, Consumer<HttpMethod> decodedMethods) {
        super(config);
        this.decodedMethods = decodedMethods;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (inHead && !folded) {
            scanHead(in);
        }
        int before = in.readableBytes();
        int first = out.size();
        super.decode(ctx, in, out);
        scanned = Math.max(0, scanned - (before - in.readableBytes()));
        for (int i = first; i < out.size(); i++) {
            Object decoded = out.get(i);
            if (decoded instanceof HttpRequest request) {
                decodedMethods.accept(request.method());
                checkHead(request);
            }
            if (((HttpObject) decoded).decoderResult().isFailure()) {
                refused = true;
                dropAfter(out, i);
                return;
            }
            if (decoded instanceof LastHttpContent) {
                nextMessage();
            }
        }
    }

    int undecodedBytes() {
        return actualReadableBytes();
    }

    private void checkHead(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return;
        }
        Refusal refusal = folded ? Refusal.OBS_FOLD
                : RequestHeadRules.http1(request, hostLines, transferEncodingLines);
        if (refusal != null) {
            request.setDecoderResult(DecoderResult.failure(new RefusedRequestException(refusal)));
        }
    }

    private static void dropAfter(List<Object> out, int index) {
        while (out.size() > index + 1) {
            ReferenceCountUtil.release(out.remove(out.size() - 1));
        }
    }

    private void nextMessage() {
        scan = SKIPPING;
        inHead = true;
        headerLineSeen = false;
        folded = false;
        scanned = 0;
        hostLines = 0;
        transferEncodingLines = 0;
    }

    /** Scans the head's bytes not scanned yet, up to its end, for a line that starts with SP or HTAB. */
    private void scanHead(ByteBuf in) {
        int from = in.readerIndex() + scanned;
        int length = in.writerIndex() - from;
        if (length <= 0) {
            return;
        }
        int stop = in.forEachByte(from, length, this);
        scanned += stop < 0 ? length : stop - from + 1;
    }

    @Override
    public boolean process(byte b) {
        switch (scan) {
            case SKIPPING -> scan = b == '\r' || b == '\n' || b == ' ' || b == '\t' ? SKIPPING : REQUEST_LINE;
            case REQUEST_LINE, IN_LINE -> scan = b == '\n' ? LINE_START : scan;
            default -> {
                if (b == '\n') {
                    inHead = false;
                    return false;
                }
                if ((b == ' ' || b == '\t') && headerLineSeen) {
                    folded = true;
                    return false;
                }
                if (b != '\r') {
                    headerLineSeen = true;
                    scan = IN_LINE;
                }
            }
        }
        return true;
    }

    /** Counts the Host and Transfer-Encoding field lines as Netty splits them: no allocation, no second pass. */
    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        AsciiString name = super.splitHeaderName(sb, start, length);
        if (name.contentEqualsIgnoreCase(HttpHeaderNames.HOST)) {
            hostLines++;
        } else if (name.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING)) {
            transferEncodingLines++;
        }
        return name;
    }

    /** A request the proxy refuses for a rule Netty's decoder does not check itself. */
    static final class RefusedRequestException extends RuntimeException {
        final Refusal refusal;

        RefusedRequestException(Refusal refusal) {
            super(refusal.statName(), null, false, false);
            this.refusal = refusal;
        }
    }
}
