package dev.windlass.discovery.routing;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every route set of the mesh, oldest first. Istio's rule for several sets claiming one host (a conflict the
 * analysis reports): the most specific host pattern wins, then the oldest set, then namespace/name. Sidecars see
 * the sets bound to {@link RouteSet#MESH}; a gateway proxy those bound to the Gateways that configure it.
 */
public final class RoutingModel {
    private static final Comparator<RouteSet> AGE = Comparator.comparing(RouteSet::created)
            .thenComparing(RouteSet::namespace).thenComparing(RouteSet::name);
    public static final RoutingModel EMPTY = new RoutingModel(List.of());

    private final List<RouteSet> sets;

    public RoutingModel(List<RouteSet> sets) {
        this.sets = sets.stream().sorted(AGE).toList();
    }

    public List<RouteSet> sets() {
        return sets;
    }

    /** The sets bound to {@code binding} that a proxy in {@code namespace} sees, oldest first. */
    public List<RouteSet> boundTo(String binding, String namespace) {
        return sets.stream().filter(s -> s.boundTo(binding) && s.visibility().visibleFrom(namespace)).toList();
    }

    /** The mesh-bound set that routes {@code host} for a sidecar in {@code namespace}, if any. */
    public Optional<RouteSet> forHost(String host, String namespace) {
        RouteSet best = null;
        int bestSpecificity = -1;
        for (RouteSet set : sets) {
            String pattern = set.boundTo(RouteSet.MESH) && set.visibility().visibleFrom(namespace) ? set.matchingHost(host) : null;
            if (pattern != null && HostPattern.specificity(pattern) > bestSpecificity) {
                best = set;
                bestSpecificity = HostPattern.specificity(pattern);
            }
        }
        return Optional.ofNullable(best);
    }
}
