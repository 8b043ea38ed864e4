package dev.windlass.proxy.http;

import dev.windlass.contract.MeshTls;
import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.net.Direction;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;

import java.util.List;
import java.util.UUID;

/** How the proxy rewrites headers on the way through, in both directions. */
final class HeaderRules {
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE);

    private HeaderRules() {
    }

    /** The request as it leaves for the upstream; fills the exchange's request id and source labels. */
    static void request(HttpRequest request, Exchange exchange, Direction direction, NodeIdentity self,
                        boolean fromHttp2, boolean toHttp2) {
        HttpHeaders headers = request.headers();
        stripHopByHop(headers, toHttp2);
        if (exchange.upgrade) {
            WebSocketUpgrade.keepHeaders(headers, HttpHeaderValues.WEBSOCKET);
        }
        if (!fromHttp2 && !toHttp2) {
            stripHttp2Extensions(headers);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        String id = headers.get(PeerHeaders.REQUEST_ID);
        if (id == null || id.isEmpty()) {
            id = randomRequestId();
            headers.set(PeerHeaders.REQUEST_ID, id);
        }
        exchange.requestId = id;
        if (!headers.contains(PeerHeaders.FORWARDED_PROTO)) {
            headers.set(PeerHeaders.FORWARDED_PROTO, "http");
        }
        source(exchange, headers, direction, self);
        if (direction == Direction.INBOUND) {
            headers.remove(PeerHeaders.WORKLOAD).remove(PeerHeaders.NAMESPACE);
            if (exchange.peer != null) {
                headers.set(MeshTls.FORWARDED_CLIENT_CERT, exchange.peer.forwardedClientCert());
            } else {
                headers.remove(MeshTls.FORWARDED_CLIENT_CERT);
            }
        } else {
            headers.set(PeerHeaders.WORKLOAD, self.workload()).set(PeerHeaders.NAMESPACE, self.namespace());
        }
        if (fromHttp2 && !toHttp2) {
            stripHttp2Extensions(headers);
            frameForHttp1(request, false);
        }
    }

    /**
     * The source labels. Inbound, only a mesh mTLS client is known: its namespace from its certificate, its
     * workload name from the header its sidecar sets (the sidecar overwrites whatever its app sent); a plain-text
     * client's headers could say anything, so it stays unknown.
     */
    static void source(Exchange exchange, HttpHeaders headers, Direction direction, NodeIdentity self) {
        if (direction != Direction.INBOUND) {
            exchange.sourceWorkload = self.workload();
            exchange.sourceNamespace = self.namespace();
        } else if (exchange.peer != null) {
            exchange.sourceWorkload = headers.get(PeerHeaders.WORKLOAD);
            exchange.sourceNamespace = exchange.peer.id().namespace();
        }
    }

    /** The response as it goes back downstream; fills the destination labels the response carries. */
    static void response(HttpResponse response, Exchange exchange, Direction direction, NodeIdentity self,
                         boolean toHttp2, boolean close) {
        HttpHeaders headers = response.headers();
        stripHopByHop(headers, toHttp2);
        stripHttp2Extensions(headers);
        if (exchange.serviceTimeMillis >= 0) {
            headers.set(PeerHeaders.SERVICE_TIME, exchange.serviceTimeMillis);
        }
        if (direction == Direction.INBOUND) {
            // Only a mesh peer's sidecar reads (and strips) these; a plain-text client would just learn our names.
            if (exchange.peer != null) {
                headers.set(PeerHeaders.WORKLOAD, self.workload()).set(PeerHeaders.NAMESPACE, self.namespace());
            } else {
                headers.remove(PeerHeaders.WORKLOAD).remove(PeerHeaders.NAMESPACE);
            }
        } else {
            if (exchange.destinationWorkload == null) {
                exchange.destinationWorkload = headers.get(PeerHeaders.WORKLOAD);
                exchange.destinationNamespace = headers.get(PeerHeaders.NAMESPACE);
            }
            headers.remove(PeerHeaders.WORKLOAD).remove(PeerHeaders.NAMESPACE);
        }
        if (!toHttp2) {
            response.setProtocolVersion(HttpVersion.HTTP_1_1);
            frameForHttp1(response, exchange.headRequest);
            if (close) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
    }

    /** Connection-specific headers never cross the proxy; to an HTTP/2 peer, neither does Transfer-Encoding. */
    private static void stripHopByHop(HttpHeaders headers, boolean toHttp2) {
        for (String listed : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String name : listed.split(",")) {
                String trimmed = name.trim();
                if (!trimmed.isEmpty() && !trimmed.equalsIgnoreCase("close") && !trimmed.equalsIgnoreCase("keep-alive")) {
                    headers.remove(trimmed);
                }
            }
        }
        headers.remove(HttpHeaderNames.CONNECTION);
        HOP_BY_HOP.forEach(headers::remove);
        if (toHttp2) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
    }

    private static void stripHttp2Extensions(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(name.text());
        }
    }

    /**
     * An HTTP/1.1 peer needs framing: a streamed message that came from HTTP/2 with neither Content-Length nor
     * chunking is sent chunked. Messages that cannot have a body are left alone.
     */
    private static void frameForHttp1(HttpMessage message, boolean headRequest) {
        if (message instanceof FullHttpMessage || headRequest || HttpUtil.isContentLengthSet(message)
                || HttpUtil.isTransferEncodingChunked(message)) {
            return;
        }
        if (message instanceof HttpResponse response) {
            int code = response.status().code();
            if (code < 200 || code == 204 || code == 304) {
                return;
            }
        }
        HttpUtil.setTransferEncodingChunked(message, true);
    }

    /**
     * A version-4 UUID from the event loop's own generator: {@code UUID.randomUUID()} draws from SecureRandom, which
     * takes a lock per call; a request id needs to be unique, not secret (Envoy's are not either).
     */
    static String randomRequestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0x3L << 62)) | (0x2L << 62);
        return new UUID(high, low).toString();
    }
}
