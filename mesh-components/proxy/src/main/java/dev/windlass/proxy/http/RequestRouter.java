package dev.windlass.proxy.http;

import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.config.RouteAction;
import dev.windlass.proxy.config.RouteRequest;
import dev.windlass.proxy.config.RouteRule;
import dev.windlass.proxy.config.RouteTable;
import dev.windlass.proxy.config.VirtualHostConfig;
import dev.windlass.proxy.net.Flow;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/** Host → virtual host → route, against the snapshot current when the request came. */
final class RequestRouter {

    /** Where a request goes: a local reply, or a route whose action is to forward it. */
    sealed interface Decision {
    }

    /** {@code rule} is the matched route, or null when nothing matched. */
    record Local(LocalReply reply, String cluster, RouteRule rule) implements Decision {
    }

    record Routed(RouteRule rule, VirtualHostConfig host, RouteAction.Forward forward) implements Decision {
    }

    private static final String ENVOY_INTERNAL = "x-envoy-internal";

    private RequestRouter() {
    }

    static Decision route(ConfigSnapshot snapshot, Flow flow, HttpRequest request, boolean http2) {
        NetworkAction.Http http = (NetworkAction.Http) flow.chain().action();
        RouteTable table = http.inlineRoutes() != null ? http.inlineRoutes() : snapshot.routes(http.routeName());
        if (table == null) {
            return new Local(LocalReply.NO_ROUTE, "-", null);
        }
        String authority = request.headers().get(HttpHeaderNames.HOST, "");
        String connectionScheme = flow.secure() ? "https" : "http";
        String scheme = http2 ? request.headers().get("x-http2-scheme", connectionScheme) : connectionScheme;
        String forwardedProto = ForwardedProto.apply(request.headers(), flow, http.xffTrustedHops(), connectionScheme);
        VirtualHostConfig host = table.virtualHost(authority);
        if (host != null && host.redirectsToHttps(forwardedProto, "true".equals(request.headers().get(ENVOY_INTERNAL)))) {
            // Envoy's SSL redirect: 301 to https://<Host as sent><path as sent>.
            return new Local(LocalReply.redirect(301, "https://" + authority + request.uri()), "-", null);
        }
        RouteRequest routeRequest = new RouteRequest(authority, request.uri(), request.method().name(), scheme,
                request.headers());
        RouteRule rule = host == null ? null : host.route(routeRequest);
        if (rule == null) {
            return new Local(LocalReply.NO_ROUTE, "-", null);
        }
        return switch (rule.action()) {
            case RouteAction.Forward forward -> new Routed(rule, host, forward);
            case RouteAction.DirectResponse direct ->
                    new Local(new LocalReply(direct.status(), direct.body(), "-"), "-", rule);
            case RouteAction.Redirect redirect -> new Local(LocalReply.redirect(redirect.redirect().status(),
                    redirect.redirect().location(scheme, authority, request.uri(), rule.path())), "-", rule);
            case RouteAction.Unsupported unsupported ->
                    new Local(new LocalReply(500, "unsupported route action: " + unsupported.what(), "-"), "-", rule);
        };
    }
}
