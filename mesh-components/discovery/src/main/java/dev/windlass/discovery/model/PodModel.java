package dev.windlass.discovery.model;

import java.util.Map;

/**
 * What the translation needs of a Pod: its address and labels (to find the Services that select it, and its
 * proxy), the workload it belongs to (for endpoint metadata), its named container ports (named targetPorts), the
 * node it runs on and the locality its {@code istio-locality} label gives (null without; then the node's applies),
 * and its ServiceAccount (the identity of its workload certificate).
 */
public record PodModel(String name, String namespace, String ip, Map<String, String> labels, String workload,
                       Map<String, Integer> containerPorts, String nodeName, Locality labelLocality,
                       String serviceAccount) {
    public PodModel {
        labels = Map.copyOf(labels);
        containerPorts = Map.copyOf(containerPorts);
    }

    /** A pod of the namespace's {@code default} ServiceAccount. */
    public PodModel(String name, String namespace, String ip, Map<String, String> labels, String workload,
                    Map<String, Integer> containerPorts, String nodeName, Locality labelLocality) {
        this(name, namespace, ip, labels, workload, containerPorts, nodeName, labelLocality, "default");
    }

    public String key() {
        return namespace + "/" + name;
    }
}
