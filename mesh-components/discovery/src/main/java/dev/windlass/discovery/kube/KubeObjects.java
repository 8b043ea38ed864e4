package dev.windlass.discovery.kube;

import dev.windlass.contract.IstioNames;
import dev.windlass.discovery.model.EndpointSliceModel;
import dev.windlass.discovery.model.Locality;
import dev.windlass.discovery.model.PodModel;
import dev.windlass.discovery.model.Protocol;
import dev.windlass.discovery.model.ServiceModel;
import dev.windlass.discovery.model.ServicePortModel;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns Kubernetes objects into the registry model. Pure functions: the informers and the golden-test fixtures
 * go through the same code.
 */
public final class KubeObjects {
    /** The label that ties an EndpointSlice to its Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private KubeObjects() {
    }

    /** Empty for a Service the mesh does not route: ExternalName Services have no cluster IP nor endpoints. */
    public static Optional<ServiceModel> service(Service service) {
        var spec = service.getSpec();
        if (spec == null || "ExternalName".equals(spec.getType())) {
            return Optional.empty();
        }
        String clusterIp = spec.getClusterIP();
        if (clusterIp == null || clusterIp.isEmpty() || "None".equals(clusterIp)) {
            clusterIp = null;
        }
        List<ServicePortModel> ports = new ArrayList<>();
        for (ServicePort p : Objects.requireNonNullElse(spec.getPorts(), List.<ServicePort>of())) {
            if (p.getProtocol() == null || "TCP".equals(p.getProtocol())) {
                ports.add(port(p));
            }
        }
        return Optional.of(new ServiceModel(service.getMetadata().getName(), service.getMetadata().getNamespace(),
                clusterIp, Objects.requireNonNullElse(spec.getSelector(), Map.of()), ports));
    }

    private static ServicePortModel port(ServicePort p) {
        IntOrString target = p.getTargetPort();
        String targetName = target != null && target.getStrVal() != null ? target.getStrVal() : null;
        int targetNumber = target != null && target.getIntVal() != null ? target.getIntVal() : p.getPort();
        return new ServicePortModel(p.getName(), p.getPort(), targetNumber, targetName,
                Protocol.of(p.getName(), p.getAppProtocol()));
    }

    /** Empty for a slice of no Service, or of FQDN addresses (which the mesh does not route). */
    public static Optional<EndpointSliceModel> slice(EndpointSlice slice) {
        Map<String, String> labels = Objects.requireNonNullElse(slice.getMetadata().getLabels(), Map.of());
        String serviceName = labels.get(SERVICE_NAME_LABEL);
        if (serviceName == null || "FQDN".equals(slice.getAddressType())) {
            return Optional.empty();
        }
        Map<String, Integer> ports = new TreeMap<>();
        for (EndpointPort p : Objects.requireNonNullElse(slice.getPorts(), List.<EndpointPort>of())) {
            if (p.getPort() != null && (p.getProtocol() == null || "TCP".equals(p.getProtocol()))) {
                ports.put(Objects.requireNonNullElse(p.getName(), ""), p.getPort());
            }
        }
        List<EndpointSliceModel.Endpoint> endpoints = new ArrayList<>();
        for (Endpoint e : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
            if (e.getAddresses() != null && !e.getAddresses().isEmpty()) {
                endpoints.add(endpoint(e));
            }
        }
        return Optional.of(new EndpointSliceModel(slice.getMetadata().getName(), slice.getMetadata().getNamespace(),
                serviceName, ports, endpoints));
    }

    private static EndpointSliceModel.Endpoint endpoint(Endpoint e) {
        // Kubernetes: consumers use the first address; a nil ready condition is to be read as ready.
        Boolean ready = e.getConditions() == null ? null : e.getConditions().getReady();
        String pod = e.getTargetRef() != null && "Pod".equals(e.getTargetRef().getKind()) ? e.getTargetRef().getName() : null;
        return new EndpointSliceModel.Endpoint(e.getAddresses().get(0), ready == null || ready, pod);
    }

    /** A node's name and the locality its topology labels give. */
    public static Map.Entry<String, Locality> node(Node node) {
        Map<String, String> labels = Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of());
        return Map.entry(node.getMetadata().getName(), Locality.ofNodeLabels(labels));
    }

    public static PodModel pod(Pod pod) {
        var meta = pod.getMetadata();
        Map<String, String> labels = Objects.requireNonNullElse(meta.getLabels(), Map.of());
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String account = pod.getSpec() == null || pod.getSpec().getServiceAccountName() == null
                ? "default" : pod.getSpec().getServiceAccountName();
        return new PodModel(meta.getName(), meta.getNamespace(), ip == null ? "" : ip, labels,
                workload(pod, labels), containerPorts(pod), node, Locality.ofLabel(labels.get(IstioNames.LOCALITY_LABEL)),
                account);
    }

    /**
     * The workload a pod belongs to, for metrics, as Istio names it and as the proxy names itself: its controller's
     * name (a ReplicaSet's name without the pod-template hash is its Deployment's), else its {@code app} label,
     * else the pod's own name.
     */
    static String workload(Pod pod, Map<String, String> labels) {
        List<OwnerReference> owners = Objects.requireNonNullElse(pod.getMetadata().getOwnerReferences(), List.of());
        for (OwnerReference owner : owners) {
            if (Boolean.TRUE.equals(owner.getController())) {
                String hash = labels.get("pod-template-hash");
                if ("ReplicaSet".equals(owner.getKind()) && hash != null && owner.getName().endsWith("-" + hash)) {
                    return owner.getName().substring(0, owner.getName().length() - hash.length() - 1);
                }
                return owner.getName();
            }
        }
        return labels.getOrDefault("app", pod.getMetadata().getName());
    }

    private static Map<String, Integer> containerPorts(Pod pod) {
        Map<String, Integer> ports = new TreeMap<>();
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return ports;
        }
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort p : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
                if (p.getName() != null && p.getContainerPort() != null) {
                    ports.put(p.getName(), p.getContainerPort());
                }
            }
        }
        return ports;
    }
}
