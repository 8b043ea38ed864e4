package dev.windlass.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What makes a request an HTTP/1.1 WebSocket upgrade, as Envoy judges it: an HTTP/1.1 request with
 * {@code Upgrade: websocket} (any case) and an {@code upgrade} token in {@code Connection}. Such a request keeps both headers on its way to the upstream,
 * over a connection of its own ({@link WebSocketTunnel}); any other Upgrade is dropped as a hop-by-hop header.
 */
final class WebSocketUpgrade {
    private WebSocketUpgrade() {
    }

    /** One header lookup for an ordinary request (no Upgrade header): nothing is allocated. */
    static boolean requested(HttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!headers.contains(HttpHeaderNames.UPGRADE)) {
            return false;
        }
        String protocol = headers.get(HttpHeaderNames.UPGRADE);
        return protocol != null && request.protocolVersion() == HttpVersion.HTTP_1_1
                && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(protocol.trim())
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** Puts back the two headers the hop-by-hop rules removed, which the upgrade needs on the next hop. */
    static void keepHeaders(HttpHeaders headers, CharSequence protocol) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, protocol);
    }
}
