package dev.windlass.proxy.http;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;

import java.util.ArrayDeque;

/**
 * Netty's HttpServerCodec with the proxy's strict request decoder: the response encoder still learns each request's
 * method in order, so that a response to HEAD carries no body and a 2xx to CONNECT no Transfer-Encoding.
 */
final class Http1ServerCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, HttpResponseEncoder> {
    /** Methods of the requests decoded and not yet answered; pipelining makes it a queue. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(4);

    Http1ServerCodec() {
        HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(HttpLimits.MAX_INITIAL_LINE)
                .setMaxHeaderSize(HttpLimits.MAX_HEADER_SIZE).setMaxChunkSize(HttpLimits.MAX_CHUNK)
                .setStrictLineParsing(true).setUseRfc9112TransferEncoding(true).setAllowDuplicateContentLengths(false);
        init(new StrictRequestDecoder(config, methods::add), new ResponseEncoder());
    }

    /** Bytes read and not decoded yet: the start of a request head that came behind the previous request. */
    boolean holdsUndecodedBytes() {
        return inboundHandler().undecodedBytes() > 0;
    }

    private final class ResponseEncoder extends HttpResponseEncoder {
        private HttpMethod method;

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            method = methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }
    }
}
