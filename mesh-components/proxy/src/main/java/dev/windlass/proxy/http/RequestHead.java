package dev.windlass.proxy.http;

import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.config.PathRewrite;
import dev.windlass.proxy.net.Flow;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The request head as it leaves for the upstream: the proxy's own header rules, then the route's edits in
 * Envoy's order (the chosen cluster's first, then the route's), then the path and host rewrites. Done once per
 * exchange; retries send a copy.
 */
final class RequestHead {
    private RequestHead() {
    }

    static void prepare(Exchange ex, Flow flow, NodeIdentity self, boolean fromHttp2, boolean toHttp2) {
        HttpRequest head = ex.prepared;
        HeaderRules.request(head, ex, flow.direction(), self, fromHttp2, toHttp2);
        ex.clusterEntry.requestHeaders().apply(head.headers());
        ex.rule.requestHeaders().apply(head.headers());
        PathRewrite rewrite = ex.forward.pathRewrite();
        if (rewrite != null) {
            head.setUri(rewrite.apply(head.uri(), ex.rule.path()));
        }
        String host = ex.clusterEntry.hostRewrite() != null ? ex.clusterEntry.hostRewrite() : ex.forward.hostRewrite();
        if (host != null) {
            head.headers().set(HttpHeaderNames.HOST, host);
        }
    }
}
