package dev.windlass.discovery.xds;

import dev.windlass.discovery.model.Locality;
import dev.windlass.discovery.model.MeshSnapshot;
import dev.windlass.discovery.model.PodModel;

import java.util.Map;

/**
 * Everything of a proxy that its translation depends on: its kind, its namespace and, once the Pod informer has
 * its pod, the pod's labels, named container ports and locality. Not its address or name: proxies of one shape
 * are served the same resources, so the discovery server translates once per shape and shares the result (at
 * 5,000 proxies there are as many shapes as Deployments, not pods). A builder that starts reading something else
 * of the pod must add it here; {@code ProxyShapeTest} pins that two pods of one shape translate alike.
 */
public record ProxyShape(ProxyNode.Type type, String namespace, boolean podKnown, Map<String, String> labels,
                         Map<String, Integer> containerPorts, Locality locality) {

    public static ProxyShape of(MeshSnapshot snapshot, ProxyNode node) {
        return snapshot.proxyPod(node.ip(), node.namespace(), node.podName())
                .map(pod -> of(snapshot, node, pod))
                .orElseGet(() -> new ProxyShape(node.type(), node.namespace(), false, Map.of(), Map.of(), Locality.NONE));
    }

    private static ProxyShape of(MeshSnapshot snapshot, ProxyNode node, PodModel pod) {
        return new ProxyShape(node.type(), node.namespace(), true, pod.labels(), pod.containerPorts(), snapshot.locality(pod));
    }
}
