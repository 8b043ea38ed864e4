package dev.windlass.e2e.traffic;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Kubernetes side of the traffic test, written to the real apiserver as the controllers of a cluster would
 * write it (there are none on a bare apiserver): Pods with their IP in the status subresource, as the kubelet
 * reports it, so that the discovery server can tell which pod a proxy serves; Services; EndpointSlices, as the
 * EndpointSlice controller would publish them.
 */
final class TrafficObjects {
    static final String NAMESPACE = "traffic";
    /** The control plane's namespace: the discovery server keeps its CA there and reads the mesh ConfigMap there. */
    static final String CONTROL_PLANE_NAMESPACE = "traffic-system";
    static final int SERVICE_PORT = 80;
    static final int APP_PORT = 8080;

    private final KubernetesClient client;

    TrafficObjects(KubernetesClient client) {
        this.client = client;
    }

    /** The control plane's namespace and the app namespace. */
    void createNamespaces() {
        for (String name : List.of(CONTROL_PLANE_NAMESPACE, NAMESPACE)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                    .serverSideApply();
        }
    }

    void deleteNamespaces() {
        client.namespaces().withName(NAMESPACE).delete();
        client.namespaces().withName(CONTROL_PLANE_NAMESPACE).delete();
    }

    /**
     * A running pod at {@code ip}, its container serving {@code http} on 8080, named and owned as a Deployment's
     * ReplicaSet makes them ({@code <deployment>-<pod-template-hash>-<suffix>}): the discovery server names the
     * workload after that controller, as the proxy names itself after its pod name.
     */
    void pod(String name, String app, String version, String ip) {
        String replicaSet = name.substring(0, name.lastIndexOf('-'));
        String hash = replicaSet.substring(replicaSet.lastIndexOf('-') + 1);
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(Map.of("app", app, "version", version, "pod-template-hash", hash))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(replicaSet)
                .withUid(UUID.nameUUIDFromBytes(replicaSet.getBytes(StandardCharsets.UTF_8)).toString())
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName(app).withImage("windlass/echo:test")
                .addNewPort().withName("http").withContainerPort(APP_PORT).endPort().endContainer().endSpec()
                .build();
        Pod created = client.pods().inNamespace(NAMESPACE).resource(pod).create();
        created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
                .build());
        client.pods().inNamespace(NAMESPACE).resource(created).updateStatus();
    }

    /** An HTTP Service (port {@code http} 80 → 8080) selecting {@code app=NAME}; returns its ClusterIP. */
    String service(String name) {
        Service service = new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name))
                .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString(APP_PORT)).endPort()
                .endSpec().build();
        return client.services().inNamespace(NAMESPACE).resource(service).create().getSpec().getClusterIP();
    }

    /** Publishes the Service's one EndpointSlice: these pods, ready, on {@code port}. */
    void endpoints(String service, int port, Map<String, String> podIps) {
        List<Endpoint> endpoints = podIps.entrySet().stream().map(pod -> new EndpointBuilder()
                .withAddresses(pod.getValue()).withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withName(pod.getKey()).withNamespace(NAMESPACE).endTargetRef()
                .build()).toList();
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata().withName(service + "-abc12").withNamespace(NAMESPACE)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4").withEndpoints(endpoints)
                .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort()
                .build();
        client.resource(slice).forceConflicts().serverSideApply();
    }

    /** The mesh ConfigMap the discovery server reads: {@code meshConfig.outboundTrafficPolicy.mode}. */
    void outboundTrafficPolicy(String mode) {
        client.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("windlass")
                .withNamespace(CONTROL_PLANE_NAMESPACE).endMetadata()
                .withData(Map.of("mesh.yaml", "meshConfig:\n  outboundTrafficPolicy:\n    mode: " + mode + "\n")).build())
                .forceConflicts().serverSideApply();
    }

    /** Creates (or replaces) the Istio resources of a YAML text in the app namespace, as kubectl apply does. */
    void applyIstio(String yaml) {
        for (var object : client.load(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
            client.resource(object).inNamespace(NAMESPACE).forceConflicts().serverSideApply();
        }
    }

    /** Istio's egress task, pointed at the test's external host: an HTTP host, and a TCP port by address. */
    static String serviceEntries(String ip, int tcpPort) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext-http}
                spec:
                  hosts: [ext.example.com]
                  ports: [{number: 80, name: http, protocol: HTTP}]
                  resolution: STATIC
                  location: MESH_EXTERNAL
                  endpoints: [{address: IP}]
                ---
                apiVersion: networking.istio.io/v1beta1
                kind: ServiceEntry
                metadata: {name: ext-tcp}
                spec:
                  hosts: [tcp.example.com]
                  addresses: [IP]
                  ports: [{number: PORT, name: tcp, protocol: TCP}]
                  resolution: STATIC
                  endpoints: [{address: IP}]
                """.replace("IP", ip).replace("PORT", String.valueOf(tcpPort));
    }

    void deleteServiceEntry(String name) {
        client.genericKubernetesResources("networking.istio.io/v1", "ServiceEntry").inNamespace(NAMESPACE).withName(name).delete();
    }

    void deleteEndpoints(String service) {
        client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(service + "-abc12").delete();
    }
}
