package dev.windlass.operator.install;

import dev.windlass.contract.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Map;

/**
 * The order in which a mesh is brought up. Each phase is applied only once the one before it is ready, so that,
 * for example, the injection webhook never points at a discovery server that cannot answer yet.
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

    /** The phase of a rendered object, from its kind and its {@code app.kubernetes.io/component} label. */
    public static InstallPhase of(HasMetadata object) {
        String kind = object.getKind();
        if (kind.endsWith("WebhookConfiguration")) {
            return WEBHOOKS;
        }
        Map<String, String> labels = object.getMetadata().getLabels();
        String component = labels == null ? "" : labels.getOrDefault(Labels.COMPONENT, "");
        // The injection template follows the discovery server's rollout: a stalled upgrade keeps injecting the
        // proxy version that runs.
        if (component.equals("injector")) {
            return WEBHOOKS;
        }
        if (component.equals("discovery")) {
            return DISCOVERY;
        }
        if (component.endsWith("gateway")) {
            return GATEWAYS;
        }
        if (component.startsWith("addon-")) {
            return ADDONS;
        }
        return BASE;
    }
}
