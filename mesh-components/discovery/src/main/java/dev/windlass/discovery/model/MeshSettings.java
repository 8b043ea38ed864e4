package dev.windlass.discovery.model;

/**
 * The mesh-wide settings the translation reads from the mesh ConfigMap's {@code mesh.yaml}
 * ({@code meshConfig.outboundTrafficPolicy.mode} and {@code clusterDomain}).
 */
public record MeshSettings(OutboundPolicy outboundPolicy, String clusterDomain) {
    public static final MeshSettings DEFAULT = new MeshSettings(OutboundPolicy.ALLOW_ANY, "cluster.local");

    /** What happens to traffic for a destination the mesh does not know. */
    public enum OutboundPolicy { ALLOW_ANY, REGISTRY_ONLY }
}
