package dev.windlass.traffic.istio;

import java.util.List;

/**
 * How a VirtualService names the gateways it is bound to, resolved as Istio resolves them (its
 * resolveGatewayName): {@code mesh} stays (all sidecars); {@code namespace/name} is taken as written;
 * a short name is a Gateway of the VirtualService's own namespace; Istio's legacy {@code name.namespace} and
 * {@code name.namespace.svc.cluster.local} forms become {@code namespace/name}. The same rules apply to a
 * match block's {@code gateways}.
 */
public final class GatewayRefs {
    public static final String MESH = VirtualServiceSpec.MESH_GATEWAY;

    private GatewayRefs() {
    }

    /** {@code mesh} or {@code namespace/name}. */
    public static String resolve(String ref, String namespace) {
        if (ref.equals(MESH)) {
            return MESH;
        }
        int slash = ref.indexOf('/');
        if (slash >= 0) {
            return ref.substring(0, slash).equals(".") ? namespace + ref.substring(slash) : ref;
        }
        int dot = ref.indexOf('.');
        if (dot < 0) {
            return namespace + "/" + ref;
        }
        String rest = ref.substring(dot + 1);
        int next = rest.indexOf('.');
        return (next < 0 ? rest : rest.substring(0, next)) + "/" + ref.substring(0, dot);
    }

    /** Every reference resolved, in order, without repeats. */
    public static List<String> resolveAll(List<String> refs, String namespace) {
        return refs.stream().map(r -> resolve(r, namespace)).distinct().toList();
    }

    /** What a VirtualService is bound to: its gateways resolved, or {@code [mesh]} when it names none. */
    public static List<String> bindings(VirtualServiceSpec spec, String namespace) {
        return spec.gateways().isEmpty() ? List.of(MESH) : resolveAll(spec.gateways(), namespace);
    }
}
