package dev.windlass.profiles.render;

/**
 * The order in which a mesh is brought up. Each phase is applied only once the one before it is ready, so that,
 * for example, the injection webhook never points at a discovery server that cannot answer yet. The renderer
 * puts each object in its phase as it renders it (RenderedMesh); the operator applies them phase by phase.
 */
public enum InstallPhase {
    /** CRDs, the namespace, config maps: objects with nothing to wait for. */
    BASE("base objects"),
    /** The discovery server and its identity; ready when its Deployment is Available. */
    DISCOVERY("discovery server"),
    /**
     * The injection template and the injection and validation webhooks; ready when the Service they call has ready
     * endpoints.
     */
    WEBHOOKS("webhooks"),
    /** Ingress and egress gateways; ready when their Deployments are Available. */
    GATEWAYS("gateways"),
    /** Prometheus, Grafana, tracing, Kiali; ready when their Deployments are Available. */
    ADDONS("add-ons");

    private final String description;

    InstallPhase(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
