package dev.windlass.traffic.istio;

import java.util.ArrayList;
import java.util.List;

/**
 * A Gateway server's {@code hosts} and the namespaces whose VirtualServices may use them, as Istio reads them:
 * {@code ./host} is the Gateway's own namespace, <code>&#42;/host</code> (or a plain {@code host}) any namespace, and
 * {@code ns/host} only VirtualServices of {@code ns}.
 */
public final class GatewayHosts {
    private GatewayHosts() {
    }

    /** Istio's sanitizeServerHostNamespace: {@code ./h} to {@code gatewayNs/h}, <code>&#42;/h</code> to {@code h}. */
    public static List<String> normalize(List<String> hosts, String gatewayNamespace) {
        List<String> out = new ArrayList<>();
        for (String host : hosts) {
            int slash = host.indexOf('/');
            String ns = slash < 0 ? null : host.substring(0, slash);
            String name = slash < 0 ? host : host.substring(slash + 1);
            String normal = ns == null || ns.equals("*") ? name : ns.equals(".") ? gatewayNamespace + "/" + name : host;
            if (!out.contains(normal)) {
                out.add(normal);
            }
        }
        return out;
    }

    /** The host names (no namespace) a VirtualService in {@code namespace} may bind to (Istio's NamesForNamespace). */
    public static List<String> forNamespace(List<String> normalized, String namespace) {
        List<String> out = new ArrayList<>();
        for (String host : normalized) {
            int slash = host.indexOf('/');
            if (slash < 0 || host.substring(0, slash).equals(namespace)) {
                String name = slash < 0 ? host : host.substring(slash + 1);
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** The names without their namespace, as the SNI of a TLS server's filter chain (Istio's GetSNIHostsForServer). */
    public static List<String> names(List<String> normalized) {
        return normalized.stream().map(h -> h.substring(h.indexOf('/') + 1)).distinct().sorted().toList();
    }
}
