package dev.windlass.discovery.xds;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.windlass.discovery.routing.DestinationPolicy;
import dev.windlass.discovery.routing.HeaderEdits;
import dev.windlass.discovery.routing.HttpAction;
import dev.windlass.discovery.routing.HttpRule;
import dev.windlass.discovery.routing.RequestMatch;
import dev.windlass.discovery.routing.RetryPolicy;
import dev.windlass.discovery.routing.RouteSet;
import dev.windlass.discovery.routing.WeightedDestination;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP rules of a route set as Envoy routes, for one proxy and one port: one Envoy route per match block
 * that applies there (Istio's translation), in rule order. A rule whose every match block is for another port,
 * another client or another gateway is left out. Sidecars and gateways share this builder.
 */
final class HttpRoutes {
    /** Istio turns Envoy's default 15 s route timeout off: a mesh must not cut long requests by itself. */
    static final Duration NO_TIMEOUT = Duration.getDefaultInstance();

    /**
     * A route's timeout as Istio writes it: {@code timeout}, and the same as {@code max_stream_duration} and
     * {@code grpc_timeout_header_max}, so that a gRPC request's {@code grpc-timeout} is honoured, capped by the
     * VirtualService's timeout when there is one (0s: no cap).
     */
    static RouteAction.Builder timeout(RouteAction.Builder action, Duration timeout) {
        return action.setTimeout(timeout).setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                .setMaxStreamDuration(timeout).setGrpcTimeoutHeaderMax(timeout));
    }

    private HttpRoutes() {
    }

    /** {@code binding}: {@link RouteSet#MESH} for a sidecar, the Gateway's {@code namespace/name} for a gateway. */
    static List<Route> of(RouteSet set, int port, ProxyView view, String binding) {
        Metadata origin = origin(set);
        List<Route> routes = new ArrayList<>();
        for (HttpRule rule : set.http()) {
            if (rule.matches().isEmpty()) {
                routes.add(route(rule, rule.name(), RouteMatches.any(), port, view).toBuilder().setMetadata(origin).build());
                return routes; // nothing after a catch-all can match (Istio stops here too)
            }
            for (RequestMatch match : rule.matches()) {
                if (match.appliesTo(port, view.workload(), binding)) {
                    String name = match.name().isEmpty() ? rule.name() : rule.name() + "." + match.name();
                    routes.add(route(rule, name, RouteMatches.of(match), port, view).toBuilder().setMetadata(origin).build());
                }
            }
        }
        return routes;
    }

    /** Istio's route metadata {@code istio.config}: the VirtualService a route came from (istioctl shows it). */
    private static Metadata origin(RouteSet set) {
        return Envoy.istioMetadata(java.util.Map.of("config", Envoy.string("/apis/networking.istio.io/v1alpha3/namespaces/"
                + set.namespace() + "/virtual-service/" + set.name())));
    }

    /** Built once: every default route of every proxy carries it, and packing it each time is measurable at scale. */
    private static final io.envoyproxy.envoy.config.route.v3.RetryPolicy DEFAULT_RETRIES = RoutePolicies.retry(RetryPolicy.ISTIO_DEFAULT);

    /** The route of a Service no rule set claims: everything to its cluster, with Istio's default retries. */
    static Route defaultRoute(String cluster) {
        return Route.newBuilder().setName("default").setMatch(RouteMatches.any())
                .setRoute(timeout(RouteAction.newBuilder().setCluster(cluster), NO_TIMEOUT).setRetryPolicy(DEFAULT_RETRIES))
                .build();
    }

    private static Route route(HttpRule rule, String name, io.envoyproxy.envoy.config.route.v3.RouteMatch match,
                               int port, ProxyView view) {
        Route.Builder route = Route.newBuilder().setName(name).setMatch(match);
        switch (rule.action()) {
            case HttpAction.Forward forward -> route.setRoute(forward(forward, port, view));
            case HttpAction.Redirect redirect -> route.setRedirect(redirect(redirect));
            case HttpAction.Reply reply -> route.setDirectResponse(DirectResponseAction.newBuilder()
                    .setStatus(reply.status()).setBody(DataSource.newBuilder().setInlineString(reply.body())));
        }
        HeaderEdits.Both headers = rule.headers();
        route.addAllRequestHeadersToAdd(RoutePolicies.headerOptions(headers.request()))
                .addAllRequestHeadersToRemove(headers.request().remove())
                .addAllResponseHeadersToAdd(RoutePolicies.headerOptions(headers.response()))
                .addAllResponseHeadersToRemove(headers.response().remove());
        if (!rule.fault().isEmpty()) {
            route.putTypedPerFilterConfig(RoutePolicies.FAULT_FILTER, RoutePolicies.fault(rule.fault()));
        }
        if (rule.cors() != null) {
            route.putTypedPerFilterConfig(RoutePolicies.CORS_FILTER, RoutePolicies.cors(rule.cors()));
        }
        return route.build();
    }

    private static RouteAction forward(HttpAction.Forward forward, int port, ProxyView view) {
        RouteAction.Builder action = timeout(RouteAction.newBuilder(),
                forward.timeout() == null ? NO_TIMEOUT : RoutePolicies.duration(forward.timeout()));
        // A destination of weight 0 takes no traffic: Istio leaves it out.
        List<WeightedDestination> destinations = forward.destinations().stream().filter(d -> d.weight() > 0).toList();
        if (destinations.size() == 1 && destinations.getFirst().headers().equals(HeaderEdits.Both.NONE)) {
            action.setCluster(view.clusterName(destinations.getFirst().cluster(), port));
        } else {
            WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
            for (WeightedDestination d : destinations) {
                weighted.addClusters(weightedCluster(d, port, view));
            }
            action.setWeightedClusters(weighted);
        }
        if (forward.retries() == RetryPolicy.ISTIO_DEFAULT) {
            action.setRetryPolicy(DEFAULT_RETRIES);
        } else if (forward.retries().attempts() > 0) {
            action.setRetryPolicy(RoutePolicies.retry(forward.retries()));
        }
        for (HttpAction.Mirror mirror : forward.mirrors()) {
            action.addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
                    .setCluster(view.clusterName(mirror.cluster(), port))
                    .setRuntimeFraction(RoutePolicies.runtimePercent(mirror.percent())));
        }
        rewrite(action, forward.rewrite());
        hashPolicy(action, destinations.stream().map(d -> view.hashKey(d.cluster(), port).orElse(null)).toList());
        return action.build();
    }

    /**
     * Istio's hash policy for a route: the destinations' DestinationRule hash key, when every destination hashes by
     * the same one (else none, as Istio does when they differ).
     */
    static void hashPolicy(RouteAction.Builder action, List<DestinationPolicy.HashKey> keys) {
        if (!keys.isEmpty() && keys.getFirst() != null && keys.stream().allMatch(keys.getFirst()::equals)) {
            action.addHashPolicy(HashPolicies.of(keys.getFirst()));
        }
    }

    private static WeightedCluster.ClusterWeight weightedCluster(WeightedDestination d, int port, ProxyView view) {
        return WeightedCluster.ClusterWeight.newBuilder().setName(view.clusterName(d.cluster(), port))
                .setWeight(UInt32Value.of(d.weight()))
                .addAllRequestHeadersToAdd(RoutePolicies.headerOptions(d.headers().request()))
                .addAllRequestHeadersToRemove(d.headers().request().remove())
                .addAllResponseHeadersToAdd(RoutePolicies.headerOptions(d.headers().response()))
                .addAllResponseHeadersToRemove(d.headers().response().remove())
                .build();
    }

    private static void rewrite(RouteAction.Builder action, HttpAction.Rewrite rewrite) {
        if (rewrite.prefix() != null) {
            action.setPrefixRewrite(rewrite.prefix());
        } else if (rewrite.regex() != null) {
            action.setRegexRewrite(RegexMatchAndSubstitute.newBuilder().setPattern(RouteMatches.regex(rewrite.regex()))
                    .setSubstitution(rewrite.substitution()));
        }
        if (rewrite.authority() != null) {
            action.setHostRewriteLiteral(rewrite.authority());
        }
    }

    private static RedirectAction redirect(HttpAction.Redirect redirect) {
        RedirectAction.Builder action = RedirectAction.newBuilder().setResponseCode(switch (redirect.code()) {
            case 302 -> RedirectAction.RedirectResponseCode.FOUND;
            case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
            case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
            case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
            default -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
        });
        if (redirect.path() != null) {
            action.setPathRedirect(redirect.path());
        }
        if (redirect.authority() != null) {
            action.setHostRedirect(redirect.authority());
        }
        if (redirect.port() != 0) {
            action.setPortRedirect(redirect.port());
        }
        if (redirect.scheme() != null) {
            action.setSchemeRedirect(redirect.scheme());
        }
        return action.build();
    }
}
