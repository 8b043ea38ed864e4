package dev.windlass.bench.mesh;

import dev.windlass.contract.MeshIdentity;
import dev.windlass.contract.MeshTls;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects a cluster's controllers and kubelet would write, written directly to a bare apiserver (it has none
 * of them): Pods with their IP in the status, Services, each Service's one EndpointSlice, and the ServiceAccount
 * tokens the kubelet would project into injected pods.
 */
public final class MeshObjects {
    public static final String NAMESPACE = "bench";
    public static final String CONTROL_PLANE_NAMESPACE = "bench-system";
    /** Longer than any run, as the kubelet's rotation is not there to renew it. */
    private static final long TOKEN_SECONDS = 24 * 3600;

    private final KubernetesClient client;

    public MeshObjects(KubernetesClient client) {
        this.client = client;
    }

    public void createNamespaces() {
        for (String name : List.of(CONTROL_PLANE_NAMESPACE, NAMESPACE)) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                    .serverSideApply();
        }
    }

    /** A running pod named as a Deployment's ReplicaSet names them ({@code app-hash-suffix}), at {@code ip}. */
    public void pod(String name, String app, String ip) {
        create(basePod(name, app).build(), ip);
    }

    /**
     * A pod as the injector leaves one whose sidecar gets a workload certificate: its own ServiceAccount (created
     * here; the certificate's SPIFFE id names it) and the label that tells clients to send it mesh mTLS.
     */
    public void meshPod(String name, String app, String ip, String serviceAccount) {
        client.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(serviceAccount).withNamespace(NAMESPACE).endMetadata().build()).serverSideApply();
        create(basePod(name, app).editMetadata().addToLabels(MeshTls.POD_LABEL, MeshTls.POD_LABEL_VALUE).endMetadata()
                .editSpec().withServiceAccountName(serviceAccount).endSpec().build(), ip);
    }

    private static PodBuilder basePod(String name, String app) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(Map.of("app", app))
                .endMetadata().withNewSpec().addNewContainer().withName(app).withImage("fortio/fortio:bench")
                .endContainer().endSpec();
    }

    private void create(Pod pod, String ip) {
        Pod created = client.pods().inNamespace(NAMESPACE).resource(pod).create();
        created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
                .build());
        client.pods().inNamespace(NAMESPACE).resource(created).updateStatus();
    }

    /**
     * The projected token the kubelet would mount for the injected sidecar: for the CA's audience, bound to the pod
     * (the discovery server's TokenReview checks both, and that the proxy's node names the same pod).
     */
    public String sidecarToken(String pod, String serviceAccount) {
        String uid = client.pods().inNamespace(NAMESPACE).withName(pod).get().getMetadata().getUid();
        return client.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withAudiences(MeshIdentity.CA_AUDIENCE).withExpirationSeconds(TOKEN_SECONDS)
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod).withUid(uid).endBoundObjectRef()
                .endSpec().build()).getStatus().getToken();
    }

    /** An HTTP Service, port {@code http} 80 → {@code targetPort}; returns its ClusterIP. */
    public String service(String name, int targetPort) {
        var service = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name)).addNewPort().withName("http").withPort(80)
                .withTargetPort(new IntOrString(targetPort)).endPort().endSpec().build();
        return client.services().inNamespace(NAMESPACE).resource(service).create().getSpec().getClusterIP();
    }

    /**
     * A VirtualService for {@code service} with {@code routes} HTTP routes: the first ones match a header no request
     * carries, the last one takes everything to the Service, so each request walks the whole table.
     */
    public void virtualService(String service, int routes) {
        StringBuilder http = new StringBuilder();
        for (int i = 1; i < routes; i++) {
            http.append("  - match: [{uri: {prefix: /}, headers: {x-tenant: {exact: tenant-").append(i).append("}}}]\n")
                    .append("    route: [{destination: {host: ").append(service).append("}}]\n");
        }
        http.append("  - route: [{destination: {host: ").append(service).append("}}]\n");
        apply("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: " + service
                + ", namespace: " + NAMESPACE + "}\nspec:\n  hosts: [" + service + "]\n  http:\n" + http);
    }

    /**
     * A DestinationRule for {@code service} with a connection pool and outlier detection whose limits the benchmark's
     * loads (16 connections, no errors) never reach: every request pays for the counts, none is refused or ejected.
     */
    public void destinationRule(String service) {
        apply("apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: " + service
                + ", namespace: " + NAMESPACE + "}\nspec:\n  host: " + service + "\n  trafficPolicy:\n"
                + "    connectionPool:\n      tcp: {maxConnections: 100, connectTimeout: 5s}\n"
                + "      http: {http1MaxPendingRequests: 100, http2MaxRequests: 1000, maxRetries: 3, idleTimeout: 60s}\n"
                + "    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}\n");
    }

    private void apply(String yaml) {
        client.resource(client.getKubernetesSerialization().unmarshal(yaml, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
                .serverSideApply();
    }

    public void deleteService(String name) {
        client.services().inNamespace(NAMESPACE).withName(name).delete();
    }

    /** Publishes (or replaces) the Service's EndpointSlice: these addresses, ready, on {@code port}. */
    public void endpoints(String service, int port, List<String> ips) {
        endpoints(service, port, ips, List.of());
    }

    /** As above, each address's targetRef the pod of the same index in {@code pods}, as the EndpointSlice controller writes it. */
    public void endpoints(String service, int port, List<String> ips, List<String> pods) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < ips.size(); i++) {
            EndpointBuilder endpoint = new EndpointBuilder().withAddresses(ips.get(i)).withNewConditions().withReady(true)
                    .endConditions();
            if (i < pods.size()) {
                endpoint.withNewTargetRef().withKind("Pod").withNamespace(NAMESPACE).withName(pods.get(i)).endTargetRef();
            }
            endpoints.add(endpoint.build());
        }
        var slice = new EndpointSliceBuilder().withNewMetadata().withName(service + "-bench").withNamespace(NAMESPACE)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4").withEndpoints(endpoints)
                .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort().build();
        client.resource(slice).forceConflicts().serverSideApply();
    }
}
