package dev.windlass.proxy.http;

import dev.windlass.proxy.ProxyOptions;
import dev.windlass.proxy.config.ConfigSnapshot;
import dev.windlass.proxy.config.NetworkAction;
import dev.windlass.proxy.config.RouteAction;
import dev.windlass.proxy.config.RouteRequest;
import dev.windlass.proxy.config.RouteRule;
import dev.windlass.proxy.config.RouteTable;
import dev.windlass.proxy.net.Flow;
import dev.windlass.proxy.net.UpstreamTarget;
import io.netty.handler.codec.http.HttpRequest;

/** Host → virtual host → route → cluster → endpoint, against the snapshot current when the request came. */
final class RequestRouter {

    /** Where a request goes: a local reply, or an upstream target (to release when the exchange ends). */
    sealed interface Decision {
    }

    record Local(LocalReply reply, String cluster) implements Decision {
    }

    record Upstream(UpstreamTarget target, String cluster) implements Decision {
    }

    private RequestRouter() {
    }

    static Decision route(ConfigSnapshot snapshot, Flow flow, HttpRequest request, ProxyOptions options) {
        NetworkAction.Http http = (NetworkAction.Http) flow.chain().action();
        RouteTable table = http.inlineRoutes() != null ? http.inlineRoutes() : snapshot.routes(http.routeName());
        if (table == null) {
            return new Local(new LocalReply(404, "", "NR"), "-");
        }
        RouteRequest routeRequest = new RouteRequest(request.headers().get("host", ""), request.uri(),
                request.method().name(), request.headers());
        RouteRule rule = table.route(routeRequest);
        if (rule == null) {
            return new Local(new LocalReply(404, "", "NR"), "-");
        }
        return switch (rule.action()) {
            case RouteAction.DirectResponse direct -> new Local(new LocalReply(direct.status(), direct.body(), "-"), "-");
            case RouteAction.Unsupported unsupported ->
                    new Local(new LocalReply(500, "unsupported route action: " + unsupported.what(), "-"), "-");
            case RouteAction.Forward forward -> upstream(snapshot, flow, forward.pickCluster(), options);
        };
    }

    private static Decision upstream(ConfigSnapshot snapshot, Flow flow, String cluster, ProxyOptions options) {
        UpstreamTarget target = UpstreamTarget.pick(snapshot, cluster, flow, options);
        if (target != null) {
            return new Upstream(target, cluster);
        }
        if (snapshot.cluster(cluster) == null) {
            return new Local(new LocalReply(503, "cluster not found", "NC"), cluster);
        }
        return new Local(new LocalReply(503, "no healthy upstream", "UH"), cluster);
    }
}
