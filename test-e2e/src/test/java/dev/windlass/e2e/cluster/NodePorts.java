package dev.windlass.e2e.cluster;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Where a test on the host reaches a NodePort Service, as a user of the cluster would: the node's own address (the
 * local cluster's kube-proxy serves NodePorts there only, not on 127.0.0.1) and the port found by its name.
 */
public final class NodePorts {
    private NodePorts() {
    }

    /** The first node's InternalIP. */
    public static String nodeAddress(KubernetesClient client) {
        return client.nodes().list().getItems().getFirst().getStatus().getAddresses().stream()
                .filter(a -> a.getType().equals("InternalIP")).map(NodeAddress::getAddress).findFirst()
                .orElseThrow(() -> new AssertionError("the node has no InternalIP"));
    }

    /** The nodePort of the Service's port named {@code portName} (Istio's names: http2, https, tcp). */
    public static int nodePort(KubernetesClient client, String namespace, String service, String portName) {
        return client.services().inNamespace(namespace).withName(service).get().getSpec().getPorts().stream()
                .filter(p -> portName.equals(p.getName())).map(ServicePort::getNodePort).findFirst()
                .orElseThrow(() -> new AssertionError("the Service " + namespace + "/" + service + " has no port named " + portName));
    }
}
