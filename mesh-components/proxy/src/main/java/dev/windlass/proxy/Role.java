package dev.windlass.proxy;

/** What the proxy runs as: a sidecar (capture ports, iptables in front) or a gateway (binds its listeners). */
public enum Role {
    SIDECAR("sidecar"), ROUTER("router");

    private final String nodeType;

    Role(String nodeType) {
        this.nodeType = nodeType;
    }

    public String nodeType() {
        return nodeType;
    }
}
