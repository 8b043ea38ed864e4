package dev.windlass.discovery.routing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every gateway configuration of the mesh, oldest first: when servers of several gateways conflict on one port,
 * the oldest one's stay (Istio sorts gateways by creation time before merging them).
 */
public final class GatewayModel {
    private static final Comparator<GatewayConfig> AGE = Comparator.comparing(GatewayConfig::created)
            .thenComparing(GatewayConfig::namespace).thenComparing(GatewayConfig::name);
    public static final GatewayModel EMPTY = new GatewayModel(List.of());

    private final List<GatewayConfig> gateways;

    public GatewayModel(List<GatewayConfig> gateways) {
        this.gateways = gateways.stream().sorted(AGE).toList();
    }

    public List<GatewayConfig> all() {
        return gateways;
    }

    /**
     * The gateways that configure a gateway pod with these labels, in any namespace (Istio's default: a Gateway
     * may select gateway pods of every namespace).
     */
    public List<GatewayConfig> selecting(Map<String, String> podLabels) {
        return gateways.stream().filter(g -> g.selects(podLabels)).toList();
    }
}
