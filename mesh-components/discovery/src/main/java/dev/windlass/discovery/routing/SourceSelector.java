package dev.windlass.discovery.routing;

import java.util.Map;

/**
 * Istio's {@code sourceLabels} and {@code sourceNamespace}: a rule applies only to clients whose workload has
 * these labels and lives in this namespace. Decided when a proxy's config is built, as Istio does.
 */
public record SourceSelector(Map<String, String> labels, String namespace) {

    public static final SourceSelector ANY = new SourceSelector(Map.of(), null);

    public SourceSelector {
        labels = Map.copyOf(labels);
    }

    public boolean selects(Workload client) {
        if (namespace != null && !namespace.equals(client.namespace())) {
            return false;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(client.labels().get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
