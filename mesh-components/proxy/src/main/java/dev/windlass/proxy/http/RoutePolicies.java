package dev.windlass.proxy.http;

import dev.windlass.proxy.NodeIdentity;
import dev.windlass.proxy.net.Direction;
import dev.windlass.proxy.telemetry.ProxyStats;
import dev.windlass.proxy.telemetry.ProxyStats.Stat;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * What a matched route does around forwarding, in Envoy's filter order: CORS (a preflight answered here), the
 * fault filter (a delay, an abort), and on the way back the response head: the proxy's header rules, the route's
 * and the cluster's edits, the CORS headers, the service time.
 */
final class RoutePolicies {
    private RoutePolicies() {
    }

    /** The proxy's own answer to a CORS preflight, or null; remembers an allowed origin for the response. */
    static LocalReply corsPreflight(Exchange ex, ProxyStats stats) {
        if (ex.rule.cors() == null) {
            return null;
        }
        LocalReply preflight = Cors.preflight(ex.rule.cors(), ex.prepared);
        if (preflight != null) {
            stats.increment(Stat.CORS_PREFLIGHTS_ANSWERED);
            return preflight;
        }
        ex.corsOrigin = Cors.allowedOrigin(ex.rule.cors(), ex.prepared);
        return null;
    }

    /** This request's fault decision, counted and flagged (DI) as Envoy's fault filter does. */
    static Faults.Decision fault(Exchange ex, ProxyStats stats) {
        Faults.Decision fault = Faults.decide(ex.rule.fault());
        if (fault.delayNanos() > 0) {
            stats.increment(Stat.FAULT_DELAYS_INJECTED);
            ex.addFlag("DI");
            ex.phase = Exchange.Phase.DELAYED;
        }
        if (fault.abort() != null) {
            stats.increment(Stat.FAULT_ABORTS_INJECTED);
        }
        return fault;
    }

    /** The response head of the attempt that answers, as it goes downstream. */
    static void responseHead(Exchange ex, HttpResponse response, Direction direction, NodeIdentity self,
                             boolean toHttp2, boolean closing) {
        ex.phase = Exchange.Phase.RESPONDING;
        ex.cancelTryTimer();
        ex.status = response.status().code();
        if (ex.requestComplete) {
            long since = Math.max(ex.upstreamStartNanos, ex.requestCompleteNanos);
            ex.serviceTimeMillis = (System.nanoTime() - since) / 1_000_000;
        }
        ex.upstreamReusable = HttpUtil.isKeepAlive(response) && !ex.upgrade;
        HeaderRules.response(response, ex, direction, self, toHttp2, closing);
        ex.clusterEntry.responseHeaders().apply(response.headers());
        ex.rule.responseHeaders().apply(response.headers());
        if (ex.corsOrigin != null) {
            Cors.responseHeaders(ex.rule.cors(), ex.corsOrigin, response.headers());
        }
        if (ex.setCookie != null) {
            response.headers().add(HttpHeaderNames.SET_COOKIE, ex.setCookie);
        }
    }
}
