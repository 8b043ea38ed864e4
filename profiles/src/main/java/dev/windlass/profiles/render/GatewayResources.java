package dev.windlass.profiles.render;

import dev.windlass.api.v1alpha1.GatewayComponent;
import dev.windlass.api.v1alpha1.ServiceSettings;
import dev.windlass.contract.MeshPorts;
import dev.windlass.contract.ProxyImage;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ingress or egress gateway: a proxy in the router role, its Service, identity and scaling. Its pods carry
 * {@code istio: ingressgateway} or {@code istio: egressgateway}, so that Istio Gateway selectors work unchanged,
 * and bind the Gateway servers' port numbers themselves (see {@link PodSecurity#gatewayPod()}); the Service maps
 * each of its ports to the same number on the pod.
 */
final class GatewayResources {
    private GatewayResources() {
    }

    enum Direction {
        INGRESS("ingressgateway"), EGRESS("egressgateway");

        final String component;

        Direction(String component) {
            this.component = component;
        }

        /**
         * Istio's Secrets for a Gateway's file-form TLS (serverCertificate/privateKey, caCertificates), mounted
         * where Istio's gateways had them: istio-ingressgateway-certs at /etc/istio/ingressgateway-certs, and -ca-certs.
         */
        String certsVolume() {
            return "istio-" + component + "-certs";
        }

        String caCertsVolume() {
            return "istio-" + component + "-ca-certs";
        }
    }

    /** An optional Secret volume: the gateway starts without it, and a chain naming its files refuses handshakes. */
    private static Volume certificates(String secret) {
        return new VolumeBuilder().withName(secret).withNewSecret().withSecretName(secret).withOptional(true)
                .endSecret().build();
    }

    static List<HasMetadata> render(MeshContext ctx, GatewayComponent gateway, Direction direction) {
        String namespace = gateway.namespace() != null ? gateway.namespace() : ctx.namespace();
        String name = gateway.name();
        Map<String, String> selector = Map.of("app", name, "istio", direction.component);
        WorkloadSpec workload = new WorkloadSpec(name, namespace, direction.component, selector,
                Map.of("windlass", direction.component), gateway.k8s(), container(ctx, gateway, direction),
                List.of(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build(),
                        certificates(direction.certsVolume()), certificates(direction.caCertsVolume()),
                        ProxyIdentityVolumes.token(), ProxyIdentityVolumes.root(ctx)));
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ServiceAccountBuilder().withMetadata(ctx.meta(name, namespace, direction.component)).build());
        // Gateways read TLS credentials (Gateway credentialName, kubernetes://<name>) themselves, from Secrets in their
        // own namespace only: get for each credential, list and watch as Istio's gateway Role has them. The rules are
        // the operator install's ClusterRole, which the operator may bind but does not hold.
        objects.add(new RoleBindingBuilder().withMetadata(ctx.meta(name, namespace, direction.component))
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", OperatorResources.GATEWAY_CREDENTIALS_ROLE)
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject()
                .build());
        Deployment deployment = Workloads.deployment(ctx, workload);
        deployment.getSpec().getTemplate().getSpec().setSecurityContext(PodSecurity.gatewayPod());
        objects.add(deployment);
        objects.add(service(ctx, workload, gateway.k8s().service()));
        objects.addAll(Workloads.scaling(ctx, workload));
        return objects;
    }

    private static Container container(MeshContext ctx, GatewayComponent gateway, Direction direction) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(ProxyImage.PROXY_CONTAINER)
                .withImage(ctx.image(ctx.version().images().proxy()))
                .withImagePullPolicy(ctx.spec().values().global().imagePullPolicy().name())
                .withArgs("router")
                .withEnv(ProxyEnv.of(ctx))
                .withNewReadinessProbe()
                .withNewHttpGet().withPath("/healthz/ready").withPort(new IntOrString(MeshPorts.PROXY_READINESS)).endHttpGet()
                .withPeriodSeconds(2).withTimeoutSeconds(2).withFailureThreshold(30)
                .endReadinessProbe()
                .withSecurityContext(PodSecurity.container())
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName(direction.certsVolume()).withMountPath("/etc/istio/" + direction.component + "-certs")
                .withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName(direction.caCertsVolume())
                .withMountPath("/etc/istio/" + direction.component + "-ca-certs").withReadOnly(true).endVolumeMount()
                .addToVolumeMounts(ProxyIdentityVolumes.tokenMount(), ProxyIdentityVolumes.rootMount())
                .addToPorts(DiscoveryServer.port("http-envoy-prom", MeshPorts.PROXY_METRICS));
        for (ServiceSettings.Port port : gateway.k8s().service().ports()) {
            int target = targetPort(port);
            if (target != MeshPorts.PROXY_READINESS) {
                container.addToPorts(DiscoveryServer.port(port.name(), target));
            }
        }
        container.addToPorts(DiscoveryServer.port("status-port", MeshPorts.PROXY_READINESS));
        return container.build();
    }

    private static HasMetadata service(MeshContext ctx, WorkloadSpec w, ServiceSettings settings) {
        List<ServicePort> ports = settings.ports().stream()
                .map(p -> new ServicePortBuilder().withName(p.name()).withPort(p.port())
                        .withTargetPort(new IntOrString(targetPort(p))).withNodePort(p.nodePort()).withProtocol("TCP").build())
                .toList();
        return new ServiceBuilder()
                .withMetadata(ctx.meta(w.name(), w.namespace(), w.component()))
                .editMetadata().withAnnotations(settings.annotations() == null ? null : new TreeMap<>(settings.annotations())).endMetadata()
                .withNewSpec()
                .withType(settings.type().name())
                .withSelector(new TreeMap<>(w.selector()))
                .withPorts(ports)
                .endSpec()
                .build();
    }

    private static int targetPort(ServiceSettings.Port port) {
        return port.targetPort() != null ? port.targetPort() : port.port();
    }
}
