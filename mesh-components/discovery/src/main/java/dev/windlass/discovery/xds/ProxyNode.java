package dev.windlass.discovery.xds;

/**
 * Who a proxy is, from its xDS node id {@code <type>~<ip>~<pod>.<ns>~<ns>.svc.<clusterDomain>}, the form
 * Istio's sidecars use. {@code type} is {@code sidecar} or {@code router} (gateways).
 */
public record ProxyNode(String id, Type type, String ip, String podName, String namespace) {
    public enum Type { SIDECAR, ROUTER }

    public static ProxyNode parse(String id) {
        String[] parts = id.split("~", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("node id must be <type>~<ip>~<pod>.<ns>~<ns>.svc.<domain>, got \"" + id + "\"");
        }
        Type type = switch (parts[0]) {
            case "sidecar" -> Type.SIDECAR;
            case "router" -> Type.ROUTER;
            default -> throw new IllegalArgumentException("node type must be sidecar or router, got \"" + parts[0] + "\"");
        };
        // The namespace is the DNS domain's first label; the pod name is what precedes ".<ns>" (pod names may hold dots).
        String namespace = parts[3].split("\\.", 2)[0];
        String podAndNs = parts[2];
        if (namespace.isEmpty() || parts[1].isEmpty() || !podAndNs.endsWith("." + namespace)) {
            throw new IllegalArgumentException("node id \"" + id + "\": expected <pod>.<ns> and <ns>.svc.<domain> to agree");
        }
        String podName = podAndNs.substring(0, podAndNs.length() - namespace.length() - 1);
        return new ProxyNode(id, type, parts[1], podName, namespace);
    }

    /** {@code pod.ns}, the short form /debug/config_dump accepts. */
    public String podId() {
        return podName + "." + namespace;
    }
}
