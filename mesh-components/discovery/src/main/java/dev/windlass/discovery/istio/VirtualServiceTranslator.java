package dev.windlass.discovery.istio;

import dev.windlass.discovery.routing.HttpAction;
import dev.windlass.discovery.routing.HttpRule;
import dev.windlass.discovery.routing.L4Rule;
import dev.windlass.discovery.routing.RequestMatch;
import dev.windlass.discovery.routing.RouteSet;
import dev.windlass.discovery.routing.SourceSelector;
import dev.windlass.discovery.routing.Visibility;
import dev.windlass.discovery.routing.WeightedDestination;
import dev.windlass.traffic.istio.Durations;
import dev.windlass.traffic.istio.GatewayRefs;
import dev.windlass.traffic.istio.Hosts;
import dev.windlass.traffic.istio.HttpRoute;
import dev.windlass.traffic.istio.IstioResource;
import dev.windlass.traffic.istio.VirtualServiceSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One VirtualService to a route set of the routing model, bound to the gateways it names (resolved as Istio
 * resolves them; {@code mesh}, the sidecars, when it names none). Short host names resolve against the
 * VirtualService's namespace; match blocks keep their own {@code gateways}, resolved the same way, so that each
 * proxy takes only the blocks for it; {@code delegate} rules are replaced by the delegate's rules, merged as
 * Istio merges them.
 */
public final class VirtualServiceTranslator {
    private final String clusterDomain;
    private final Function<String, IstioResource<VirtualServiceSpec>> virtualServiceByKey;

    /** {@code virtualServiceByKey}: {@code namespace/name} to the VirtualService, for delegates; null if none. */
    public VirtualServiceTranslator(String clusterDomain,
                                    Function<String, IstioResource<VirtualServiceSpec>> virtualServiceByKey) {
        this.clusterDomain = clusterDomain;
        this.virtualServiceByKey = virtualServiceByKey;
    }

    public RouteSet translate(IstioResource<VirtualServiceSpec> vs) {
        VirtualServiceSpec spec = vs.spec();
        String ns = vs.namespace();
        List<String> hosts = spec.hosts().stream().map(h -> Hosts.resolve(h, ns, clusterDomain)).toList();
        List<HttpRule> http = new ArrayList<>();
        for (HttpRoute route : spec.http()) {
            http.addAll(httpRules(route, ns));
        }
        return new RouteSet(vs.displayName(), ns, vs.name(), vs.created(), hosts, Visibility.of(spec.exportTo(), ns),
                bindings(spec.gateways(), ns), http, tls(spec, ns), tcp(spec, ns));
    }

    /** Istio's names resolved; {@code mesh} is the routing model's sidecar binding under the same name. */
    static List<String> bindings(List<String> refs, String ns) {
        return GatewayRefs.resolveAll(refs.isEmpty() ? List.of(GatewayRefs.MESH) : refs, ns).stream()
                .map(r -> r.equals(GatewayRefs.MESH) ? RouteSet.MESH : r).toList();
    }

    private List<HttpRule> httpRules(HttpRoute route, String ns) {
        List<RequestMatch> matches = matches(route, ns);
        if (route.delegate() != null) {
            return delegated(route, matches, ns);
        }
        return List.of(rule(route, matches, ns));
    }

    private static List<RequestMatch> matches(HttpRoute route, String ns) {
        return route.match().stream().map(m -> IstioMatches.of(m, matchBindings(m.gateways(), ns))).toList();
    }

    /** A match block's own gateways; empty (every binding of the set) when it names none. */
    private static List<String> matchBindings(List<String> refs, String ns) {
        return refs.isEmpty() ? List.of() : bindings(refs, ns);
    }

    HttpRule rule(HttpRoute route, List<RequestMatch> matches, String ns) {
        return new HttpRule(route.name() == null ? "" : route.name(), matches, action(route, ns),
                IstioPolicies.headers(route.headers()), IstioPolicies.fault(route.fault()), IstioPolicies.cors(route.corsPolicy()));
    }

    private HttpAction action(HttpRoute route, String ns) {
        if (route.redirect() != null) {
            var r = route.redirect();
            return new HttpAction.Redirect(r.uri(), r.authority(), r.port() == null ? 0 : r.port(), r.scheme(),
                    r.redirectCode() == null ? 301 : r.redirectCode());
        }
        if (route.directResponse() != null) {
            var d = route.directResponse();
            String body = d.body() == null ? "" : d.body().string() != null ? d.body().string()
                    : new String(java.util.Base64.getDecoder().decode(d.body().bytes()), java.nio.charset.StandardCharsets.UTF_8);
            return new HttpAction.Reply(d.status(), body);
        }
        List<WeightedDestination> destinations = new ArrayList<>();
        boolean single = route.route().size() == 1;
        for (HttpRoute.RouteDestination d : route.route()) {
            // One destination takes all the traffic whatever its weight says, as in Istio.
            int weight = single ? 100 : d.weightOrZero();
            destinations.add(new WeightedDestination(IstioPolicies.cluster(d.destination(), ns, clusterDomain), weight,
                    IstioPolicies.headers(d.headers())));
        }
        return new HttpAction.Forward(destinations, route.timeout() == null ? null : Durations.parse(route.timeout()),
                IstioPolicies.retries(route.retries()), IstioPolicies.mirrors(route, ns, clusterDomain),
                IstioPolicies.rewrite(route.rewrite()));
    }

    private List<HttpRule> delegated(HttpRoute root, List<RequestMatch> rootMatches, String ns) {
        String delegateNs = root.delegate().namespace() == null ? ns : root.delegate().namespace();
        IstioResource<VirtualServiceSpec> delegate = virtualServiceByKey.apply(delegateNs + "/" + root.delegate().name());
        if (delegate == null || !delegate.spec().hosts().isEmpty()) {
            return List.of(); // a missing delegate (or a VirtualService with hosts, which cannot be one): no rules
        }
        List<HttpRule> rules = new ArrayList<>();
        for (HttpRoute child : delegate.spec().http()) {
            if (child.delegate() != null) {
                continue; // Istio allows one level of delegation only
            }
            List<RequestMatch> merged = DelegateMerge.matches(rootMatches, matches(child, delegateNs));
            if (merged != null) {
                rules.add(rule(DelegateMerge.inherit(root, child), merged, delegateNs));
            }
        }
        return rules;
    }

    private List<L4Rule> tcp(VirtualServiceSpec spec, String ns) {
        List<L4Rule> rules = new ArrayList<>();
        for (VirtualServiceSpec.TcpRoute route : spec.tcp()) {
            List<L4Rule.Condition> conditions = route.match().stream()
                    .map(m -> new L4Rule.Condition(List.of(), m.destinationSubnets(), m.port() == null ? 0 : m.port(),
                            new SourceSelector(m.sourceLabels(), m.sourceNamespace()), matchBindings(m.gateways(), ns))).toList();
            rules.add(new L4Rule(conditions, destinations(route.route(), ns)));
        }
        return rules;
    }

    private List<L4Rule> tls(VirtualServiceSpec spec, String ns) {
        List<L4Rule> rules = new ArrayList<>();
        for (VirtualServiceSpec.TlsRoute route : spec.tls()) {
            List<L4Rule.Condition> conditions = route.match().stream()
                    .map(m -> new L4Rule.Condition(m.sniHosts(), m.destinationSubnets(), m.port() == null ? 0 : m.port(),
                            new SourceSelector(m.sourceLabels(), m.sourceNamespace()), matchBindings(m.gateways(), ns))).toList();
            rules.add(new L4Rule(conditions, destinations(route.route(), ns)));
        }
        return rules;
    }

    private List<WeightedDestination> destinations(List<VirtualServiceSpec.RouteDestination> route, String ns) {
        boolean single = route.size() == 1;
        return route.stream().map(d -> new WeightedDestination(IstioPolicies.cluster(d.destination(), ns, clusterDomain),
                single ? 100 : d.weightOrZero(), dev.windlass.discovery.routing.HeaderEdits.Both.NONE)).toList();
    }
}
