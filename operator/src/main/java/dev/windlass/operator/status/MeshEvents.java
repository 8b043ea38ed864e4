package dev.windlass.operator.status;

import dev.windlass.api.v1alpha1.MeshControlPlane;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;

/**
 * Kubernetes Events on a MeshControlPlane, so that {@code kubectl describe mcp} and {@code kubectl get events}
 * tell its story. A cluster-scoped object's events live in the {@code default} namespace, as Node events do.
 */
public final class MeshEvents {
    private static final Logger LOG = LoggerFactory.getLogger(MeshEvents.class);
    private static final String NAMESPACE = "default";

    private final KubernetesClient client;

    public MeshEvents(KubernetesClient client) {
        this.client = client;
    }

    public void normal(MeshControlPlane mcp, String reason, String message) {
        record(mcp, "Normal", reason, message);
    }

    public void warning(MeshControlPlane mcp, String reason, String message) {
        record(mcp, "Warning", reason, message);
    }

    private void record(MeshControlPlane mcp, String type, String reason, String message) {
        String now = Instant.now().toString();
        var event = new EventBuilder()
                .withNewMetadata().withNamespace(NAMESPACE)
                .withName(mcp.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13)).endMetadata()
                .withNewInvolvedObject().withApiVersion(mcp.getApiVersion()).withKind(mcp.getKind())
                .withName(mcp.getMetadata().getName()).withUid(mcp.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(truncate(message))
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent("windlass-operator").endSource()
                .build();
        try {
            client.v1().events().resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: failing to record one must never fail the reconcile.
            LOG.warn("could not record event {} on MeshControlPlane {}: {}", reason, mcp.getMetadata().getName(), e.getMessage());
        }
    }

    private static String truncate(String message) {
        return message.length() > 1000 ? message.substring(0, 997) + "..." : message;
    }
}
