package dev.windlass.discovery.inject;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A namespace's labels for the policy: from the Namespace informer, else (a namespace created a moment ago, or
 * the informer not synced yet at start) one GET, so that the first pods of a new labelled namespace are injected.
 */
final class NamespaceLabels implements Function<String, Map<String, String>> {
    private final Function<String, Optional<Map<String, String>>> informer;
    private final KubernetesClient client;

    NamespaceLabels(Function<String, Optional<Map<String, String>>> informer, KubernetesClient client) {
        this.informer = informer;
        this.client = client;
    }

    @Override
    public Map<String, String> apply(String name) {
        return informer.apply(name).orElseGet(() -> {
            Namespace ns = client.namespaces().withName(name).get();
            return ns == null || ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels();
        });
    }
}
